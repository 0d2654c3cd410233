import type { Knex } from 'knex';
import { ValidationError } from '../core/errors';

/** Refuses a reference to a user that does not exist or is deactivated, naming the field. */
export async function assertUserExists(db: Knex, userId: string, field: string): Promise<void> {
  const user = await db('users').select('active').where({ id: userId }).first();
  if (!user?.active) {
    throw new ValidationError(`No active user ${userId}.`, {
      errors: [{ in: 'body', field, message: 'is not an active user' }],
    });
  }
}

export interface Reference {
  kind: 'organisation' | 'person' | 'user';
  id: string;
  /** The JSON pointer named in the error. */
  field: string;
}

/**
 * Refuses references to records that do not exist (to users that are not active), naming every
 * field that is wrong — all of them checked in one query.
 */
export async function assertReferences(db: Knex, references: Reference[]): Promise<void> {
  if (references.length === 0) return;
  const idsOf = (kind: Reference['kind']) => [
    ...new Set(references.filter((reference) => reference.kind === kind).map((reference) => reference.id)),
  ];
  const { rows } = await db.raw(
    `SELECT 'organisation' AS kind, id FROM organisations WHERE id = ANY(?::uuid[])
     UNION ALL SELECT 'person', id FROM people WHERE id = ANY(?::uuid[])
     UNION ALL SELECT 'user', id FROM users WHERE id = ANY(?::uuid[]) AND active`,
    [idsOf('organisation'), idsOf('person'), idsOf('user')],
  );
  const found = new Set(rows.map((row: { kind: string; id: string }) => `${row.kind}:${row.id}`));
  const errors = references
    .filter((reference) => !found.has(`${reference.kind}:${reference.id}`))
    .map((reference) => ({
      in: 'body' as const,
      field: reference.field,
      message: reference.kind === 'user' ? 'is not an active user' : `is not an existing ${reference.kind}`,
    }));
  if (errors.length) {
    throw new ValidationError('Some referenced records do not exist.', { errors });
  }
}

/** Refuses a reference to a record that does not exist, naming the field. */
export async function assertExists(
  db: Knex,
  table: string,
  id: string,
  field: string,
  what: string,
): Promise<void> {
  const found = await db(table).select('id').where({ id }).first();
  if (!found) {
    throw new ValidationError(`No ${what} ${id}.`, {
      errors: [{ in: 'body', field, message: `is not an existing ${what}` }],
    });
  }
}

/** Refuses a period that ends before it starts, naming the end field. */
export function assertDateOrder(
  start: string | null | undefined,
  end: string | null | undefined,
  fields: { start: string; end: string },
): void {
  if (start && end && start > end) {
    throw new ValidationError(`${fields.end.slice(1)} is before ${fields.start.slice(1)}.`, {
      errors: [{ in: 'body', field: fields.end, message: `must be on or after ${fields.start.slice(1)}` }],
    });
  }
}
