import type { Knex } from 'knex';

/** Applications' API keys: only a SHA-256 hash and a short lookup prefix are stored, never the key. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('prefix').notNullable().unique();
    table.text('key_hash').notNullable();
    table.specificType('scopes', 'text[]').notNullable();
    table.uuid('created_by').notNullable().references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true, precision: 3 });
    table.timestamp('revoked_at', { useTz: true, precision: 3 });
  });
  await knex.raw('CREATE INDEX api_keys_created_at_id_idx ON api_keys (created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
}
