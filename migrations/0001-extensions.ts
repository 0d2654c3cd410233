import type { Knex } from 'knex';

/**
 * Extensions later migrations rely on: `citext` (case-insensitive emails), `pg_trgm` and
 * `unaccent` (accent- and typo-tolerant search). UUIDs come from the built-in gen_random_uuid().
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS citext');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS unaccent');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP EXTENSION IF EXISTS unaccent');
  await knex.raw('DROP EXTENSION IF EXISTS pg_trgm');
  await knex.raw('DROP EXTENSION IF EXISTS citext');
}
