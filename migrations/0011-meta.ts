import type { Knex } from 'knex';

/** Small facts about the installation itself, such as which demo data sets are loaded. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('relais_meta', (table) => {
    table.text('key').primary();
    table.jsonb('value').notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('relais_meta');
}
