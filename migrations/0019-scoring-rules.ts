import type { Knex } from 'knex';

/**
 * Lead-scoring rules, versioned: a change writes a new version and never edits an old one, so
 * every ledger entry names the rules that produced it. Version 1 holds the documented defaults.
 */
const DEFAULT_SCORING_RULES = {
  half_life_days: 90,
  hot_threshold: 15,
  rules: [
    {
      key: 'opened',
      event_type: 'opened',
      points: 3,
      first_per_message: true,
      exclude_machine_opens: true,
      daily_cap: 10,
    },
    {
      key: 'clicked',
      event_type: 'clicked',
      points: 5,
      first_per_message: true,
      exclude_machine_opens: false,
      daily_cap: 10,
    },
    {
      key: 'unsubscribed',
      event_type: 'unsubscribed',
      points: -10,
      first_per_message: false,
      exclude_machine_opens: false,
      daily_cap: 1,
    },
    {
      key: 'spam_complaint',
      event_type: 'spam_complaint',
      points: -20,
      first_per_message: false,
      exclude_machine_opens: false,
      daily_cap: 1,
    },
    {
      key: 'hard_bounce',
      event_type: 'bounced',
      bounce_type: 'hard',
      points: -5,
      first_per_message: true,
      exclude_machine_opens: false,
      daily_cap: 1,
    },
  ],
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scoring_rules', (table) => {
    table.integer('version').primary();
    table.jsonb('rules').notNullable();
    table.double('half_life_days').notNullable();
    table.double('hot_threshold').notNullable();
    table.uuid('created_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'ALTER TABLE scoring_rules ADD CONSTRAINT scoring_rules_half_life_check CHECK (half_life_days > 0)',
  );
  await knex('scoring_rules').insert({
    version: 1,
    rules: JSON.stringify(DEFAULT_SCORING_RULES.rules),
    half_life_days: DEFAULT_SCORING_RULES.half_life_days,
    hot_threshold: DEFAULT_SCORING_RULES.hot_threshold,
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scoring_rules');
}
