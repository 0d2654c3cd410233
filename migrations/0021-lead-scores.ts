import type { Knex } from 'knex';

/**
 * One row per scored person: Σ weight of their ledger (`weighted`), rebuilt from the ledger in the
 * transaction that changes it. Ordering by `weighted` ranks people exactly as their current scores
 * do, at any instant, so hot leads are one index scan. `hot` remembers the last threshold crossing
 * so an owner is told once per crossing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lead_scores', (table) => {
    table.uuid('person_id').primary().references('id').inTable('people').onDelete('CASCADE');
    table.specificType('weighted', 'numeric').notNullable().defaultTo(0);
    table.integer('points').notNullable().defaultTo(0);
    table.integer('entries').notNullable().defaultTo(0);
    table.timestamp('last_event_at', { useTz: true, precision: 3 });
    table.integer('rules_version').notNullable();
    table.boolean('hot').notNullable().defaultTo(false);
    table.timestamp('hot_since', { useTz: true, precision: 3 });
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX lead_scores_weighted_idx ON lead_scores (weighted DESC, person_id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('lead_scores');
}
