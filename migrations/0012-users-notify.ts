import type { Knex } from 'knex';

/**
 * Every change to a user is announced on the `relais_user_changed` channel at commit, so each API
 * instance can drop its cached copy — whatever made the change (the API, another instance, SQL).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION relais_notify_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('relais_user_changed', COALESCE(NEW.id, OLD.id)::text);
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION relais_notify_user_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER users_changed ON users');
  await knex.raw('DROP FUNCTION relais_notify_user_changed()');
}
