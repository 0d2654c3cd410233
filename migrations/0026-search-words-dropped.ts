import type { Knex } from 'knex';

/**
 * Words a record stopped holding (`search_words_dropped`): those of a deleted record, and those an
 * edit removed from a record's search text. The hourly cleanup (maintenance-jobs.ts) checks each
 * against its table and deletes from `search_words` the ones no record contains any more, so the
 * word list follows the records instead of only growing.
 */
const TABLES = ['organisations', 'people', 'interactions'];

const COLLECT_ADDED = `
        INSERT INTO search_words (source, word)
        SELECT DISTINCT TG_ARGV[0], found.word
        FROM new_rows
        JOIN old_rows ON old_rows.id = new_rows.id
        CROSS JOIN relais_search_words(new_rows.search_text) AS found(word)
        WHERE new_rows.search_text IS DISTINCT FROM old_rows.search_text
          AND NOT EXISTS (
            SELECT 1 FROM search_words known WHERE known.source = TG_ARGV[0] AND known.word = found.word);`;

const COLLECT_INSERTED = `
        INSERT INTO search_words (source, word)
        SELECT DISTINCT TG_ARGV[0], found.word
        FROM new_rows, relais_search_words(new_rows.search_text) AS found(word)
        WHERE NOT EXISTS (
          SELECT 1 FROM search_words known WHERE known.source = TG_ARGV[0] AND known.word = found.word);`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('search_words_dropped', (table) => {
    table.text('source').notNullable();
    table.text('word').notNullable();
  });
  await knex.raw(`
    CREATE OR REPLACE FUNCTION relais_collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN${COLLECT_INSERTED}
      ELSIF TG_OP = 'UPDATE' THEN${COLLECT_ADDED}
        INSERT INTO search_words_dropped (source, word)
        SELECT DISTINCT TG_ARGV[0], gone.word
        FROM old_rows
        JOIN new_rows ON new_rows.id = old_rows.id
        CROSS JOIN relais_search_words(old_rows.search_text) AS gone(word)
        WHERE new_rows.search_text IS DISTINCT FROM old_rows.search_text
          AND gone.word NOT IN (SELECT relais_search_words(new_rows.search_text));
      ELSE
        INSERT INTO search_words_dropped (source, word)
        SELECT DISTINCT TG_ARGV[0], gone.word
        FROM old_rows, relais_search_words(old_rows.search_text) AS gone(word);
      END IF;
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await knex.raw(`
      CREATE TRIGGER ${table}_search_words_deleted AFTER DELETE ON ${table}
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION relais_collect_search_words('${table}')`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER ${table}_search_words_deleted ON ${table}`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION relais_collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN${COLLECT_INSERTED}
      ELSE${COLLECT_ADDED}
      END IF;
      RETURN NULL;
    END $$`);
  await knex.schema.dropTable('search_words_dropped');
}
