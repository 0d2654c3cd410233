/**
 * Work that must happen only once a change is committed — publishing its events, invalidating the
 * cache entries it made stale — and before the caller answers, so that a client who reads right
 * after its write never sees the old state.
 *
 * `transaction(db, work)` runs `work` in a transaction and, once it has committed, the after-commit
 * work registered inside it (also from nested transactions), before returning. `afterCommit(db,
 * work)` registers such work; outside a transaction it runs it at once.
 */
import type { Knex } from './db';

type Work = () => Promise<void> | void;

interface Transactor {
  isTransaction?: boolean;
  parentTransaction?: Transactor;
  executionPromise?: Promise<unknown>;
}

const pendingOf = new WeakMap<object, Work[]>();

export async function transaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const pending: Work[] = [];
  const result = await db.transaction((trx) => {
    pendingOf.set(trx, pending);
    return work(trx);
  });
  for (const run of pending) await run();
  return result;
}

/**
 * Runs `work` after the outermost transaction `db` belongs to commits (never if it rolls back), or
 * at once when `db` is not a transaction. The returned promise settles when the work has run in
 * the immediate case, and at once otherwise. `work` must not throw.
 */
export async function afterCommit(db: Knex, work: Work): Promise<void> {
  let top = db as unknown as Transactor;
  if (!top.isTransaction) {
    await work();
    return;
  }
  while (top.parentTransaction) top = top.parentTransaction;
  const pending = pendingOf.get(top);
  if (pending) pending.push(work);
  else
    top.executionPromise?.then(
      () => work(),
      () => undefined,
    );
}
