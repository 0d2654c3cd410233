import type { Knex } from 'knex';

/**
 * `relais_refuse(reason)` raises an error (SQLSTATE `RL001`) so that a statement whose write
 * should not happen after all is rolled back whole: a person is created in one statement unless
 * email events already wait for their address, when the create takes the longer way, in a
 * transaction that also gives them those events.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION relais_refuse(reason text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    AS $$
    BEGIN
      RAISE EXCEPTION USING ERRCODE = 'RL001', MESSAGE = reason;
    END
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION relais_refuse(text)');
}
