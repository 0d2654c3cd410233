import type { Knex } from 'knex';

/**
 * Erasure (GDPR Art. 17).
 *
 * - `erased_emails`: addresses of erased people as salted hashes (HMAC-SHA-256 with a
 *   per-installation salt kept in `relais_meta`): enough to drop late webhook events for them,
 *   not enough to tell who they were.
 * - The audit log stays append-only with one exception: inside a transaction that has set
 *   `relais.erasure` to `on` (only the erasure does), an entry's `changes` may be rewritten —
 *   never who acted, what, when, or on which record — so that the history keeps its shape
 *   without keeping the person.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('erased_emails', (table) => {
    table.text('email_hash').primary();
    table.timestamp('erased_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND current_setting('relais.erasure', true) = 'on'
         AND (NEW.id, NEW.occurred_at, NEW.principal_type, NEW.principal_id, NEW.action,
              NEW.resource, NEW.resource_id, NEW.request_id)
             IS NOT DISTINCT FROM
             (OLD.id, OLD.occurred_at, OLD.principal_type, OLD.principal_id, OLD.action,
              OLD.resource, OLD.resource_id, OLD.request_id) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.schema.dropTable('erased_emails');
}
