import type { Knex } from 'knex';

/** Rescoring runs requested after a rules change, with their progress for the API to report. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scoring_recomputes', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.integer('rules_version').notNullable().references('version').inTable('scoring_rules');
    table.text('status').notNullable().defaultTo('queued');
    table.integer('people_total');
    table.integer('people_done').notNullable().defaultTo(0);
    table.text('error');
    table.uuid('requested_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('started_at', { useTz: true, precision: 3 });
    // A running recompute whose heartbeat stops (its worker died) is taken over by another.
    table.timestamp('heartbeat_at', { useTz: true, precision: 3 });
    table.timestamp('finished_at', { useTz: true, precision: 3 });
  });
  await knex.raw(`ALTER TABLE scoring_recomputes ADD CONSTRAINT scoring_recomputes_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scoring_recomputes');
}
