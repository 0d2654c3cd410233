import type { Knex } from 'knex';

/**
 * Email-marketing events, normalised from every provider. A provider delivers at least once:
 * UNIQUE (provider, dedupe_key) makes a redelivery an insert that does nothing. Events for an
 * address no person has yet keep `person_id` empty and are linked when that person is created.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_events', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('provider').notNullable();
    table.text('dedupe_key').notNullable();
    table.text('type').notNullable();
    table.text('provider_event').notNullable();
    table.specificType('recipient', 'citext').notNullable();
    table.uuid('person_id').references('id').inTable('people').onDelete('SET NULL');
    table.text('message_id');
    table.text('campaign');
    table.text('url');
    table.text('bounce_type');
    table.boolean('machine_open').notNullable().defaultTo(false);
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('received_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.jsonb('raw').notNullable();
    table.unique(['provider', 'dedupe_key'], { indexName: 'email_events_provider_dedupe_key' });
  });
  await knex.raw(`ALTER TABLE email_events ADD CONSTRAINT email_events_type_check
    CHECK (type IN ('sent', 'delivered', 'deferred', 'opened', 'clicked', 'bounced', 'dropped',
                    'unsubscribed', 'resubscribed', 'spam_complaint', 'failed', 'unknown'))`);
  await knex.raw(`ALTER TABLE email_events ADD CONSTRAINT email_events_bounce_type_check
    CHECK (bounce_type IN ('hard', 'soft'))`);
  await knex.raw('CREATE INDEX email_events_occurred_at_id_idx ON email_events (occurred_at DESC, id DESC)');
  await knex.raw(
    'CREATE INDEX email_events_person_idx ON email_events (person_id, occurred_at DESC, id DESC) WHERE person_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE INDEX email_events_unlinked_idx ON email_events (recipient) WHERE person_id IS NULL',
  );
  await knex.raw(
    'CREATE INDEX email_events_campaign_idx ON email_events (campaign, occurred_at DESC, id DESC) WHERE campaign IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('email_events');
}
