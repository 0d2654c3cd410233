import type { Knex } from 'knex';

/**
 * CSV imports sent through the API (`POST /v1/imports`): the file waits here until the
 * `imports.run` job claims it, then the row records progress, the counts and the error report.
 * The file itself is deleted once the import ends, whatever the outcome.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('imports', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('resource').notNullable();
    table.text('status').notNullable().defaultTo('queued');
    table.boolean('dry_run').notNullable().defaultTo(false);
    table.jsonb('map').notNullable().defaultTo('{}');
    table.binary('file');
    table.integer('bytes').notNullable();
    // Who imports: the audit log's actor, and the owner of what is created.
    table.text('principal_type').notNullable();
    table.uuid('principal_id');
    table.uuid('requested_by').references('id').inTable('users');
    table.text('request_id');
    table.integer('attempts').notNullable().defaultTo(0);
    table.integer('rows').notNullable().defaultTo(0);
    table.integer('created').notNullable().defaultTo(0);
    table.integer('updated').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.integer('errors').notNullable().defaultTo(0);
    table.jsonb('report');
    table.text('error_report');
    table.text('failure');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('started_at', { useTz: true, precision: 3 });
    // A running import whose heartbeat stops (its worker died) is taken over by another.
    table.timestamp('heartbeat_at', { useTz: true, precision: 3 });
    table.timestamp('finished_at', { useTz: true, precision: 3 });
  });
  await knex.raw(`ALTER TABLE imports ADD CONSTRAINT imports_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))`);
  await knex.raw(`ALTER TABLE imports ADD CONSTRAINT imports_resource_check
    CHECK (resource IN ('people', 'organisations'))`);
  await knex.raw('CREATE INDEX imports_created_at_idx ON imports (created_at DESC, id DESC)');
  await knex.raw(
    "CREATE INDEX imports_pending_idx ON imports (created_at) WHERE status IN ('queued', 'running')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('imports');
}
