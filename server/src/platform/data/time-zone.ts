/**
 * Time zones are the ones PostgreSQL computes with (`pg_timezone_names`) that JavaScript's `Intl`
 * also knows: a zone only one of them knows would fail later, in the middle of an inbox query.
 * The list is read once per process.
 */

import { type FieldError, ValidationError } from '../core/errors';
import type { Knex } from './db';

/** The zone used where a stored one is no longer known (after a tz database update). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

let known: Promise<ReadonlySet<string>> | null = null;

/** The zone names PostgreSQL knows. */
export function knownTimeZones(db: Knex): Promise<ReadonlySet<string>> {
  known ??= db
    .raw<{ rows: { name: string }[] }>('SELECT name FROM pg_timezone_names')
    .then((result) => new Set(result.rows.map((row) => row.name)));
  known.catch(() => {
    known = null;
  });
  return known;
}

export async function isTimeZone(db: Knex, zone: string): Promise<boolean> {
  if (!(await knownTimeZones(db)).has(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Refuses a name that is not a time zone, naming the field that carried it. */
export async function assertTimeZone(
  db: Knex,
  zone: string | undefined,
  where: Pick<FieldError, 'in' | 'field'>,
): Promise<void> {
  if (zone === undefined || (await isTimeZone(db, zone))) return;
  throw new ValidationError(`${zone} is not a time zone this server knows.`, {
    errors: [{ ...where, message: 'must be an IANA time zone such as Europe/Paris' }],
  });
}

/** A stored zone if it is still known, else the default: a stale zone never breaks a read. */
export async function usableTimeZone(db: Knex, zone: string): Promise<string> {
  return (await isTimeZone(db, zone)) ? zone : DEFAULT_TIME_ZONE;
}
