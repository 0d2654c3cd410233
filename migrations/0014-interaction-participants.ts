import type { Knex } from 'knex';

/**
 * Who took part: each row is an internal user or an external person, never both, at most once
 * per interaction. `occurred_at` is copied from the interaction so a person's timeline is one
 * index range scan, newest first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('interaction_participants', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('interaction_id').notNullable().references('id').inTable('interactions').onDelete('CASCADE');
    table.uuid('user_id').references('id').inTable('users');
    table.uuid('person_id').references('id').inTable('people');
    table.text('role').notNullable().defaultTo('attendee');
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
  });
  await knex.raw(`ALTER TABLE interaction_participants ADD CONSTRAINT interaction_participants_one_party
    CHECK (num_nonnulls(user_id, person_id) = 1)`);
  await knex.raw(`ALTER TABLE interaction_participants ADD CONSTRAINT interaction_participants_role_check
    CHECK (role IN ('organiser', 'attendee', 'sender', 'recipient', 'cc', 'mentioned'))`);
  await knex.raw(
    'CREATE UNIQUE INDEX interaction_participants_user_key ON interaction_participants (interaction_id, user_id) WHERE user_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX interaction_participants_person_key ON interaction_participants (interaction_id, person_id) WHERE person_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE INDEX interaction_participants_person_timeline_idx ON interaction_participants (person_id, occurred_at DESC, interaction_id DESC) WHERE person_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE INDEX interaction_participants_user_idx ON interaction_participants (user_id) WHERE user_id IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('interaction_participants');
}
