import type { Knex } from 'knex';

/**
 * A user's token version: every access and embed token carries the version current when it was
 * signed, and authentication refuses one that is older. Changing the password, deactivating the
 * account or signing out everywhere bumps it, which revokes every earlier token at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP COLUMN token_version');
}
