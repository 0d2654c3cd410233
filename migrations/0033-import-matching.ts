import type { Knex } from 'knex';

/**
 * What CSV imports match on, indexed: people without an email by their name, organisations by
 * name (and country), case-insensitively.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX people_name_without_email_idx ON people (lower(last_name), lower(first_name)) WHERE email IS NULL',
  );
  await knex.raw('CREATE INDEX organisations_lower_name_idx ON organisations (lower(name), country)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX organisations_lower_name_idx');
  await knex.raw('DROP INDEX people_name_without_email_idx');
}
