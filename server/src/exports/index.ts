export { exportRoutes } from './export-routes';
export { EXPORT_COLUMNS, EXPORT_RESOURCES, type ExportResource, streamExport } from './export-service';
