import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('people', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('first_name').notNullable();
    table.text('last_name').notNullable();
    table.specificType('email', 'citext');
    table.text('phone');
    table.text('job_title');
    table.text('language');
    table.text('notes');
    table.uuid('owner_id').references('id').inTable('users');
    table.uuid('created_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('archived_at', { useTz: true, precision: 3 });
  });
  // One person per email address: email events find their person by it.
  await knex.raw('CREATE UNIQUE INDEX people_email_key ON people (email) WHERE email IS NOT NULL');
  await knex.raw(`ALTER TABLE people ADD COLUMN sort_name text
    GENERATED ALWAYS AS (last_name || ' ' || first_name) STORED`);
  await knex.raw(`ALTER TABLE people ADD COLUMN search_text text
    GENERATED ALWAYS AS (relais_unaccent(lower(first_name || ' ' || last_name || ' ' || coalesce(email::text, '')))) STORED`);
  await knex.raw('CREATE INDEX people_search_trgm_idx ON people USING gin (search_text gin_trgm_ops)');
  await knex.raw('CREATE INDEX people_sort_name_id_idx ON people (sort_name, id)');
  await knex.raw('CREATE INDEX people_created_at_id_idx ON people (created_at, id)');
  await knex.raw('CREATE INDEX people_updated_at_id_idx ON people (updated_at, id)');
  await knex.raw('CREATE INDEX people_owner_id_idx ON people (owner_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('people');
}
