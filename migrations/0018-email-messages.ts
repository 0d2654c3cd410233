import type { Knex } from 'knex';

/**
 * Where each (message, recipient) stands. `status_rank` orders the delivery funnel
 * (sent 1 < delivered 2 < opened 3 < clicked 4) and only ever grows, so an open that arrives
 * before its delivery never moves the status back; bounces, drops, unsubscribes and complaints
 * are flags beside it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_messages', (table) => {
    table.text('provider').notNullable();
    table.text('message_id').notNullable();
    table.specificType('recipient', 'citext').notNullable();
    table.uuid('person_id').references('id').inTable('people').onDelete('SET NULL');
    table.text('campaign');
    table.smallint('status_rank').notNullable().defaultTo(0);
    table.boolean('bounced').notNullable().defaultTo(false);
    table.text('bounce_type');
    table.boolean('dropped').notNullable().defaultTo(false);
    table.boolean('unsubscribed').notNullable().defaultTo(false);
    table.boolean('spam_complaint').notNullable().defaultTo(false);
    table.integer('open_count').notNullable().defaultTo(0);
    table.integer('click_count').notNullable().defaultTo(0);
    table.timestamp('first_event_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('last_event_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('first_opened_at', { useTz: true, precision: 3 });
    table.timestamp('first_clicked_at', { useTz: true, precision: 3 });
    table.primary(['provider', 'message_id', 'recipient']);
  });
  await knex.raw(`ALTER TABLE email_messages ADD COLUMN status text GENERATED ALWAYS AS (
    CASE status_rank WHEN 1 THEN 'sent' WHEN 2 THEN 'delivered' WHEN 3 THEN 'opened'
                     WHEN 4 THEN 'clicked' ELSE 'unknown' END) STORED`);
  await knex.raw(
    'CREATE INDEX email_messages_person_idx ON email_messages (person_id) WHERE person_id IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('email_messages');
}
