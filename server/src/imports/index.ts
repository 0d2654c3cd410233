export { importRoutes } from './import-routes';
export { importJob } from './import-runs';
export {
  IMPORT_RESOURCES,
  type Importer,
  ImportFileError,
  type ImportReport,
  type ImportResource,
  importCsv,
  importerOf,
  parseColumnMap,
} from './import-service';
