import type { Knex } from 'knex';

/**
 * One row per running worker process, touched by its job loop every few seconds: what the
 * worker's own `/ready`, the API's `/ready` and `GET /v1/jobs` read to tell a live worker from a
 * stalled one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('worker_heartbeats', (table) => {
    table.text('name').primary();
    table.text('hostname').notNullable();
    table.integer('pid').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('beat_at', { useTz: true }).notNullable();
    table.integer('running').notNullable().defaultTo(0);
    table.integer('queued').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('worker_heartbeats');
}
