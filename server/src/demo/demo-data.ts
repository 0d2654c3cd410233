/**
 * Demo data for the all-in-one start: idempotent, so every start may call it and only the first
 * one writes. Each feature adds its part here as it arrives.
 */
import type { Knex } from '../platform/db';
import type { Logger } from '../platform/logger';
import type { Role } from '../platform/permissions';
import { createUser, findUserWithHashByEmail } from '../users';

export const DEMO_PASSWORD = 'relais-demo-password';

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; time_zone: string }> = [
  { email: 'admin@relais.demo', name: 'Camille Admin', role: 'admin', time_zone: 'Europe/Paris' },
  { email: 'manager@relais.demo', name: 'Louis Manager', role: 'manager', time_zone: 'Europe/Paris' },
  { email: 'user@relais.demo', name: 'Inès Chargée', role: 'user', time_zone: 'Europe/Paris' },
  { email: 'readonly@relais.demo', name: 'Paul Lecteur', role: 'readonly', time_zone: 'Europe/London' },
];

/** Loads what is missing of the demo data; returns the demo sign-ins. */
export async function loadDemoData(db: Knex, logger: Logger): Promise<typeof DEMO_USERS> {
  let created = 0;
  for (const user of DEMO_USERS) {
    if (await findUserWithHashByEmail(db, user.email)) continue;
    await createUser(db, null, { ...user, password: DEMO_PASSWORD });
    created += 1;
  }
  if (created) logger.info({ users: created }, 'demo data loaded');
  return DEMO_USERS;
}
