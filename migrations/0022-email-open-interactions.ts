import type { Knex } from 'knex';

/**
 * The interaction an email open creates: `interactions.email_event_id` links it to its event, and
 * the primary key of `email_open_interactions` allows one per (person, provider, message) however
 * many opens or redeliveries arrive.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('interactions', (table) => {
    table.uuid('email_event_id').references('id').inTable('email_events').onDelete('SET NULL');
  });
  await knex.schema.createTable('email_open_interactions', (table) => {
    table.uuid('person_id').notNullable().references('id').inTable('people').onDelete('CASCADE');
    table.text('provider').notNullable();
    table.text('message_id').notNullable();
    table.uuid('interaction_id').references('id').inTable('interactions').onDelete('SET NULL');
    table.primary(['person_id', 'provider', 'message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('email_open_interactions');
  await knex.schema.alterTable('interactions', (table) => table.dropColumn('email_event_id'));
}
