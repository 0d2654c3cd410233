export { auditRoutes } from './audit-routes';
export { type AuditChange, auditInsert, recordChange } from './audit-service';
