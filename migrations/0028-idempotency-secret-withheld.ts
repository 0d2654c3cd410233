import type { Knex } from 'knex';

/**
 * A response that showed a secret once (an API key, an embed token) is not stored for replay:
 * only that it succeeded, with its headers, so a retry with the same key learns where the record
 * is without the secret being kept in the database.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE idempotency_keys ADD COLUMN secret_withheld boolean NOT NULL DEFAULT false');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE idempotency_keys DROP COLUMN secret_withheld');
}
