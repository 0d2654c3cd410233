import { ConflictError } from '../platform/core/errors';
import type { Logger } from '../platform/core/logger';
import type { Knex } from '../platform/data/db';
import { findUserWithHashByEmail } from './user-repository';
import { createUser } from './user-service';

/**
 * Creates the configured admin (`RELAIS_ADMIN_EMAIL` / `RELAIS_ADMIN_PASSWORD`) when no user has
 * that email. An existing account is left as it is: the password is only an initial one.
 */
export async function ensureAdmin(
  db: Knex,
  admin: { email: string; password: string },
  logger: Logger,
): Promise<boolean> {
  if (await findUserWithHashByEmail(db, admin.email)) return false;
  try {
    await createUser(db, null, {
      email: admin.email,
      name: 'Administrator',
      role: 'admin',
      password: admin.password,
    });
  } catch (error) {
    // Another process (an API and a worker starting together) created it first: nothing to do.
    if (error instanceof ConflictError) return false;
    throw error;
  }
  logger.info({ email: admin.email }, 'admin created from RELAIS_ADMIN_EMAIL');
  return true;
}
