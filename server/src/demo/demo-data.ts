/**
 * Demo data for the all-in-one start: idempotent, so every start may call it and only the first
 * one writes. Each feature adds its part here as it arrives.
 */

import type { Logger } from '../platform/core/logger';
import { type Role, roleReach } from '../platform/core/permissions';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { metaValue, setMetaOnce } from '../platform/data/meta';
import { createUser, findUserWithHashByEmail } from '../users';
import { loadDemoCrm } from './demo-crm';
import { loadDemoInteractions } from './demo-interactions';
import { loadDemoMarketing } from './demo-marketing';

export const DEMO_PASSWORD = 'relais-demo-password';

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; time_zone: string }> = [
  { email: 'admin@relais.demo', name: 'Camille Admin', role: 'admin', time_zone: 'Europe/Paris' },
  { email: 'manager@relais.demo', name: 'Louis Manager', role: 'manager', time_zone: 'Europe/Paris' },
  { email: 'user@relais.demo', name: 'Inès Chargée', role: 'user', time_zone: 'Europe/Paris' },
  { email: 'readonly@relais.demo', name: 'Paul Lecteur', role: 'readonly', time_zone: 'Europe/London' },
];

/** Loads what is missing of the demo data; returns the demo sign-ins. */
export async function loadDemoData(db: Knex, logger: Logger): Promise<typeof DEMO_USERS> {
  await loadOnce(db, 'users', logger, async (trx) => {
    let created = 0;
    for (const user of DEMO_USERS) {
      if (await findUserWithHashByEmail(trx, user.email)) continue;
      await createUser(trx, null, { ...user, password: DEMO_PASSWORD });
      created += 1;
    }
    return { users: created };
  });
  const owners = await Promise.all(
    DEMO_USERS.slice(1, 3).map((user) => findUserWithHashByEmail(db, user.email)),
  );
  const ownerIds = owners.flatMap((owner) => (owner ? [owner.id] : []));
  await loadOnce(db, 'crm', logger, (trx) => loadDemoCrm(trx, ownerIds));
  const demoUsers = await Promise.all(DEMO_USERS.map((user) => findUserWithHashByEmail(db, user.email)));
  // Work is created by, and assigned to, users who may act on it (not the read-only one).
  const workerIds = demoUsers.flatMap((user) =>
    user && roleReach(user.role, 'interactions', 'update') ? [user.id] : [],
  );
  await loadOnce(db, 'interactions', logger, (trx) => loadDemoInteractions(trx, workerIds, new Date()));
  await loadOnce(db, 'marketing', logger, (trx) => loadDemoMarketing(trx, new Date()));
  return DEMO_USERS;
}

/** Runs a demo step unless `relais_meta` says it was loaded; records it in the same transaction. */
async function loadOnce(
  db: Knex,
  step: string,
  logger: Logger,
  load: (trx: Knex) => Promise<object>,
): Promise<void> {
  await transaction(db, async (trx) => {
    // One loader at a time: a second process starting together waits, then finds the step done.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`relais-demo-${step}`]);
    if ((await metaValue(trx, `demo:${step}`)) !== undefined) return;
    const counts = await load(trx);
    await setMetaOnce(trx, `demo:${step}`, counts);
    logger.info({ step, ...counts }, 'demo data loaded');
  });
}
