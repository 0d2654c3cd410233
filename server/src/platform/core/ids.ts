import { v7 } from 'uuid';

/**
 * A new record id, made by the server where it needs one before the insert: a time-ordered UUID
 * (version 7), like the database's own default (`relais_uuid_v7()`, migration 0037), so that the
 * indexes on ids grow at their right edge.
 */
export function newId(): string {
  return v7();
}
