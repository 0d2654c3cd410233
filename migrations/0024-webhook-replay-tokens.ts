import type { Knex } from 'knex';

/**
 * Signature tokens already accepted (Mailgun signs a timestamp and a one-time token): a second
 * delivery with the same token is a replay. Rows older than the signature tolerance are useless
 * and the cleanup job deletes them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_replay_tokens', (table) => {
    table.text('provider').notNullable();
    table.text('token').notNullable();
    table.timestamp('seen_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.primary(['provider', 'token']);
  });
  await knex.raw('CREATE INDEX webhook_replay_tokens_seen_at_idx ON webhook_replay_tokens (seen_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_replay_tokens');
}
