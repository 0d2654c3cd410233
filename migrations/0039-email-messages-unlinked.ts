import type { Knex } from 'knex';

/**
 * The messages of an address no person had yet, looked up when a person gets that address (their
 * events and messages become theirs). The primary key leads with provider and message, so without
 * this index that lookup read the whole key inside the person's create: 124 ms at 59,000 messages.
 * Partial, like `email_events_unlinked_idx`: only messages still waiting for their person.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX IF NOT EXISTS email_messages_unlinked_idx ON email_messages (recipient) WHERE person_id IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS email_messages_unlinked_idx');
}
