import type { Knex } from 'knex';

/**
 * Who changed what, when. Append-only: a trigger refuses UPDATE and DELETE, so not even a bug in
 * the application can rewrite history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.text('principal_type').notNullable();
    table.uuid('principal_id');
    table.text('action').notNullable();
    table.text('resource').notNullable();
    table.uuid('resource_id');
    table.jsonb('changes').notNullable().defaultTo('{}');
    table.text('request_id');
  });
  await knex.raw('CREATE INDEX audit_log_occurred_at_id_idx ON audit_log (occurred_at DESC, id DESC)');
  await knex.raw('CREATE INDEX audit_log_resource_idx ON audit_log (resource, resource_id)');
  await knex.raw('CREATE INDEX audit_log_principal_idx ON audit_log (principal_id)');
  await knex.raw(`
    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_is_append_only()');
}
