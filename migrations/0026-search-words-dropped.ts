import type { Knex } from 'knex';
import {
  COLLECT_INSERTED,
  COLLECT_UPDATED,
  COLLECT_WORDS,
  collectWordsFunction,
  TABLES,
} from './0025-search-words';

/**
 * Words a record stopped holding (`search_words_dropped`): those of a deleted record, and those an
 * edit removed from a record's search text. The hourly cleanup (maintenance-jobs.ts) checks each
 * against its table and deletes from `search_words` the ones no record contains any more, so the
 * word list follows the records instead of only growing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('search_words_dropped', (table) => {
    table.text('source').notNullable();
    table.text('word').notNullable();
  });
  await knex.raw(
    collectWordsFunction(`
      IF TG_OP = 'INSERT' THEN${COLLECT_INSERTED}
      ELSIF TG_OP = 'UPDATE' THEN${COLLECT_UPDATED}
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
      END IF;`),
  );
  for (const table of TABLES) {
    await knex.raw(`
      CREATE TRIGGER ${table}_search_words_deleted AFTER DELETE ON ${table}
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION relais_collect_search_words('${table}')`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER ${table}_search_words_deleted ON ${table}`);
  await knex.raw(collectWordsFunction(COLLECT_WORDS));
  await knex.schema.dropTable('search_words_dropped');
}
