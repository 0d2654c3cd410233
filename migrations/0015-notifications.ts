import type { Knex } from 'knex';

/** A user's notifications: assignments now, reminders and more later. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.text('type').notNullable();
    table.jsonb('payload').notNullable().defaultTo('{}');
    table.timestamp('read_at', { useTz: true, precision: 3 });
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC)',
  );
  await knex.raw(
    'CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notifications');
}
