import type { Knex } from 'knex';

/**
 * The scoring ledger: why a person has the score they have. UNIQUE (event_id, rule_key) means an
 * event scores at most once per rule however often it is delivered. `weight` is
 * points · 2^((occurred_at − epoch) / half-life), an exact numeric, so a person's decayed score
 * is Σ weight · 2^(−(now − epoch) / half-life) whatever the order the events arrived in.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lead_score_entries', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('person_id').notNullable().references('id').inTable('people').onDelete('CASCADE');
    table.uuid('event_id').notNullable().references('id').inTable('email_events').onDelete('CASCADE');
    table.text('rule_key').notNullable();
    table.integer('rule_version').notNullable().references('version').inTable('scoring_rules');
    table.integer('points').notNullable();
    table.specificType('weight', 'numeric').notNullable();
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
    table.text('reason').notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.unique(['event_id', 'rule_key'], { indexName: 'lead_score_entries_event_rule_key' });
  });
  await knex.raw(
    'CREATE INDEX lead_score_entries_person_idx ON lead_score_entries (person_id, occurred_at DESC, id DESC)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('lead_score_entries');
}
