import type { Knex } from 'knex';

/**
 * Interactions — calls, emails, meetings, notes — worked as an inbox: status, assignee, next
 * action. The reminder columns are read by the reminder job through a partial index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('interactions', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('type').notNullable();
    table.text('title').notNullable();
    table.text('body');
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
    table.integer('duration_minutes');
    table.uuid('organisation_id').references('id').inTable('organisations');
    table.text('status').notNullable().defaultTo('todo');
    table.uuid('assignee_id').references('id').inTable('users');
    table.timestamp('next_action_at', { useTz: true, precision: 3 });
    table.timestamp('reminder_sent_at', { useTz: true, precision: 3 });
    table.text('source').notNullable().defaultTo('manual');
    table.uuid('created_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE interactions ADD CONSTRAINT interactions_type_check
    CHECK (type IN ('call', 'email', 'meeting', 'video_call', 'note', 'event', 'other'))`);
  await knex.raw(`ALTER TABLE interactions ADD CONSTRAINT interactions_status_check
    CHECK (status IN ('todo', 'in_progress', 'done', 'cancelled'))`);
  await knex.raw(`ALTER TABLE interactions ADD CONSTRAINT interactions_source_check
    CHECK (source IN ('manual', 'api', 'import', 'email_event'))`);
  await knex.raw(
    'ALTER TABLE interactions ADD CONSTRAINT interactions_duration_check CHECK (duration_minutes >= 0)',
  );
  // Open items sort by next action, undated last; a far-future date keeps the cursor a real date.
  await knex.raw(`ALTER TABLE interactions ADD COLUMN next_action_sort timestamptz(3)
    GENERATED ALWAYS AS (COALESCE(next_action_at, '9999-12-31T00:00:00Z'::timestamptz)) STORED`);
  await knex.raw(`ALTER TABLE interactions ADD COLUMN search_text text
    GENERATED ALWAYS AS (relais_unaccent(lower(title || ' ' || left(coalesce(body, ''), 2000)))) STORED`);
  await knex.raw('CREATE INDEX interactions_occurred_at_id_idx ON interactions (occurred_at, id)');
  await knex.raw('CREATE INDEX interactions_updated_at_id_idx ON interactions (updated_at, id)');
  await knex.raw(
    'CREATE INDEX interactions_organisation_idx ON interactions (organisation_id, occurred_at, id)',
  );
  await knex.raw(`CREATE INDEX interactions_inbox_idx ON interactions (assignee_id, next_action_sort, id)
    WHERE status IN ('todo', 'in_progress')`);
  await knex.raw(`CREATE INDEX interactions_due_reminders_idx ON interactions (next_action_at)
    WHERE reminder_sent_at IS NULL AND status IN ('todo', 'in_progress') AND assignee_id IS NOT NULL`);
  await knex.raw(
    'CREATE INDEX interactions_search_trgm_idx ON interactions USING gin (search_text gin_trgm_ops)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('interactions');
}
