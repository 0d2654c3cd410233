export { auditRoutes } from './audit-routes';
export { type AuditChange, auditInsert, recordChange } from './audit-service';
export { changeRecord, type ExistingRecord, type RecordChange } from './change-record';
