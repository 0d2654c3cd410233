import type { Knex } from 'knex';

/** The backups taken, so `/metrics` of any process can tell the age of the last good one. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backups', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('file').notNullable();
    table.text('sha256').notNullable();
    table.bigInteger('bytes').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('backups');
}
