import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mandates', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('organisation_id').notNullable().references('id').inTable('organisations');
    table.text('title').notNullable();
    table.text('type').notNullable();
    table.text('status').notNullable().defaultTo('draft');
    table.date('start_date');
    table.date('end_date');
    table.text('notes');
    table.uuid('owner_id').references('id').inTable('users');
    table.uuid('created_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE mandates ADD CONSTRAINT mandates_status_check
    CHECK (status IN ('draft', 'proposed', 'signed', 'active', 'terminated'))`);
  await knex.raw(`ALTER TABLE mandates ADD CONSTRAINT mandates_type_check
    CHECK (type IN ('advisory', 'asset_management', 'mergers_acquisitions', 'financing', 'other'))`);
  await knex.raw(`ALTER TABLE mandates ADD CONSTRAINT mandates_dates_check
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)`);
  await knex.raw('CREATE INDEX mandates_organisation_idx ON mandates (organisation_id)');
  await knex.raw('CREATE INDEX mandates_created_at_id_idx ON mandates (created_at, id)');
  await knex.raw('CREATE INDEX mandates_updated_at_id_idx ON mandates (updated_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mandates');
}
