import type { Knex } from 'knex';
import { ValidationError } from './errors';

/** Refuses a reference to a user that does not exist or is deactivated, naming the field. */
export async function assertUserExists(db: Knex, userId: string, field: string): Promise<void> {
  const user = await db('users').select('active').where({ id: userId }).first();
  if (!user?.active) {
    throw new ValidationError(`No active user ${userId}.`, {
      errors: [{ in: 'body', field, message: 'is not an active user' }],
    });
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
