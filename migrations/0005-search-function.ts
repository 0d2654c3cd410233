import type { Knex } from 'knex';

/**
 * `relais_unaccent(text)`: unaccent as an IMMUTABLE function (the extension's own is only STABLE),
 * so generated search columns and their trigram indexes can use it. The dictionary is named
 * explicitly, which is what makes the result independent of search_path.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION relais_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION relais_unaccent(text)');
}
