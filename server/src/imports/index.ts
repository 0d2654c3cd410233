export {
  IMPORT_RESOURCES,
  ImportFileError,
  type ImportReport,
  type ImportResource,
  importCsv,
} from './import-service';
