import type { Knex } from 'knex';

/** Who works where: at most one link per pair, at most one primary organisation per person. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('person_organisations', (table) => {
    table.uuid('person_id').notNullable().references('id').inTable('people').onDelete('CASCADE');
    table.uuid('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    table.text('role');
    table.boolean('is_primary').notNullable().defaultTo(false);
    table.date('since');
    table.date('until');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.primary(['person_id', 'organisation_id']);
  });
  await knex.raw(
    'CREATE UNIQUE INDEX person_organisations_one_primary ON person_organisations (person_id) WHERE is_primary',
  );
  await knex.raw(
    'CREATE INDEX person_organisations_organisation_idx ON person_organisations (organisation_id, person_id)',
  );
  await knex.raw(`ALTER TABLE person_organisations ADD CONSTRAINT person_organisations_dates_check
    CHECK (since IS NULL OR until IS NULL OR since <= until)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('person_organisations');
}
