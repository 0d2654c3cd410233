import type { Knex } from 'knex';

/**
 * Backfill: a time zone PostgreSQL does not know (accepted before zones were checked against
 * `pg_timezone_names`) made that user's inbox and dashboard fail; such users get the default zone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    UPDATE users SET time_zone = 'Europe/Paris', updated_at = now()
    WHERE NOT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = users.time_zone)`);
}

export async function down(): Promise<void> {
  // The zones replaced were unusable; there is nothing to restore.
}
