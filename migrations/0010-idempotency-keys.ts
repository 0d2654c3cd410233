import type { Knex } from 'knex';

/** Stored responses of POSTs sent with an Idempotency-Key, per principal, kept 24 hours. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (table) => {
    table.text('principal').notNullable();
    table.text('key').notNullable();
    table.text('fingerprint').notNullable();
    table.integer('response_status');
    table.jsonb('response_body');
    table.jsonb('response_headers');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('completed_at', { useTz: true, precision: 3 });
    table.primary(['principal', 'key']);
  });
  await knex.raw('CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
