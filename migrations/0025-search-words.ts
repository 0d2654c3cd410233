import type { Knex } from 'knex';

/**
 * The words of each searched table (`search_words`), for typo-tolerant search: a term that no
 * record contains is matched against these few thousand words instead of a million records, and
 * the records holding the closest words are then found like any search (see platform/search.ts).
 *
 * A word is what `relais_search_words` cuts a search text into: runs between spaces, punctuation
 * and digits, 3 to 40 characters long. Statement triggers add the words of inserted rows, and of
 * updated rows whose search text changed. They add only words not there yet, without a unique
 * constraint, so concurrent writers never wait on each other (two may rarely add the same new word
 * twice; readers take distinct words). Words records drop are pruned from 0026 on.
 */
export const TABLES = ['organisations', 'people', 'interactions'];

/** The trigger's statement adding the new words of inserted rows (`new_rows`). */
export const COLLECT_INSERTED = `
        INSERT INTO search_words (source, word)
        SELECT DISTINCT TG_ARGV[0], found.word
        FROM new_rows, relais_search_words(new_rows.search_text) AS found(word)
        WHERE NOT EXISTS (
          SELECT 1 FROM search_words known WHERE known.source = TG_ARGV[0] AND known.word = found.word);`;

/** The trigger's statement adding the new words of updated rows whose search text changed. */
export const COLLECT_UPDATED = `
        INSERT INTO search_words (source, word)
        SELECT DISTINCT TG_ARGV[0], found.word
        FROM new_rows
        JOIN old_rows ON old_rows.id = new_rows.id
        CROSS JOIN relais_search_words(new_rows.search_text) AS found(word)
        WHERE new_rows.search_text IS DISTINCT FROM old_rows.search_text
          AND NOT EXISTS (
            SELECT 1 FROM search_words known WHERE known.source = TG_ARGV[0] AND known.word = found.word);`;

/** What this migration's trigger function does: the new words of inserted and updated rows. */
export const COLLECT_WORDS = `
      IF TG_OP = 'INSERT' THEN${COLLECT_INSERTED}
      ELSE${COLLECT_UPDATED}
      END IF;`;

/** The trigger function all word triggers run, doing `statements` (with `TG_ARGV[0]` the table). */
export function collectWordsFunction(statements: string): string {
  return `
    CREATE OR REPLACE FUNCTION relais_collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN${statements}
      RETURN NULL;
    END $$`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION relais_search_words(text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$
      SELECT DISTINCT word
      FROM regexp_split_to_table($1, '[[:space:][:punct:][:digit:]]+') AS word
      WHERE length(word) BETWEEN 3 AND 40
    $$`);
  await knex.schema.createTable('search_words', (table) => {
    table.text('source').notNullable();
    table.text('word').notNullable();
  });
  await knex.raw(collectWordsFunction(COLLECT_WORDS));
  for (const table of TABLES) {
    await knex.raw(`
      CREATE TRIGGER ${table}_search_words_inserted AFTER INSERT ON ${table}
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION relais_collect_search_words('${table}')`);
    await knex.raw(`
      CREATE TRIGGER ${table}_search_words_updated AFTER UPDATE ON ${table}
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION relais_collect_search_words('${table}')`);
    await knex.raw(
      `INSERT INTO search_words (source, word)
       SELECT DISTINCT ?::text, found.word FROM ${table}, relais_search_words(search_text) AS found(word)`,
      [table],
    );
  }
  // Built after the backfill, and without GIN's pending list: new words come a few at a time, and
  // a pending list would be read in full by every lookup until a vacuum flushes it.
  await knex.raw('CREATE INDEX search_words_source_word_idx ON search_words (source, word)');
  await knex.raw(
    'CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops) WITH (fastupdate = off)',
  );
  await knex.raw('ANALYZE search_words');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.raw(`DROP TRIGGER ${table}_search_words_inserted ON ${table}`);
    await knex.raw(`DROP TRIGGER ${table}_search_words_updated ON ${table}`);
  }
  await knex.raw('DROP FUNCTION relais_collect_search_words()');
  await knex.schema.dropTable('search_words');
  await knex.raw('DROP FUNCTION relais_search_words(text)');
}
