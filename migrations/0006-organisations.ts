import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('type').notNullable();
    table.text('category');
    table.specificType('country', 'char(2)');
    table.text('website');
    table.text('notes');
    table.uuid('owner_id').references('id').inTable('users');
    table.uuid('created_by').references('id').inTable('users');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('archived_at', { useTz: true, precision: 3 });
  });
  await knex.raw(`ALTER TABLE organisations ADD CONSTRAINT organisations_type_check
    CHECK (type IN ('client', 'prospect', 'partner', 'supplier', 'other'))`);
  await knex.raw(`ALTER TABLE organisations ADD COLUMN search_text text
    GENERATED ALWAYS AS (relais_unaccent(lower(name))) STORED`);
  await knex.raw(
    'CREATE INDEX organisations_search_trgm_idx ON organisations USING gin (search_text gin_trgm_ops)',
  );
  // Keyset orders: (sort key, id) for each documented sort.
  await knex.raw('CREATE INDEX organisations_name_id_idx ON organisations (name, id)');
  await knex.raw('CREATE INDEX organisations_created_at_id_idx ON organisations (created_at, id)');
  await knex.raw('CREATE INDEX organisations_updated_at_id_idx ON organisations (updated_at, id)');
  await knex.raw('CREATE INDEX organisations_owner_id_idx ON organisations (owner_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organisations');
}
