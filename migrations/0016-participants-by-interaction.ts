import type { Knex } from 'knex';

/**
 * Participants looked up by interaction — to show a page of interactions with their participants,
 * and for the cascade when an interaction is deleted. The unique indexes are partial (per party
 * kind) and cannot serve a lookup by interaction alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS interaction_participants_interaction_idx ON interaction_participants (interaction_id)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS interaction_participants_interaction_idx');
}
