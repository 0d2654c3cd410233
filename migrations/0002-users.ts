import type { Knex } from 'knex';

/** Internal staff who sign in. Emails are unique case-insensitively (citext). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.specificType('email', 'citext').notNullable().unique();
    table.text('name').notNullable();
    table.text('role').notNullable();
    table.text('password_hash').notNullable();
    table.boolean('active').notNullable().defaultTo(true);
    table.text('time_zone').notNullable().defaultTo('Europe/Paris');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'manager', 'user', 'readonly'))`,
  );
  await knex.raw('CREATE INDEX users_created_at_id_idx ON users (created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
