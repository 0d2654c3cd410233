export { auditRoutes } from './audit-routes';
export { type AuditChange, recordChange } from './audit-service';
