/**
 * Accent-, case- and typo-tolerant search on a generated `search_text` column (unaccented,
 * lower-cased) with a trigram GIN index. A term matches the records that contain it. When no
 * record contains it, each of its words is looked up among the words of the table
 * (`search_words`, kept by triggers) and the records holding a close word for every one of them
 * match instead, so `lefvre` still finds "Lefèvre". `keysetPage` pages through the matches in the
 * list's order.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../core/errors';
import { selectRows } from './sql';

/** Trigrams need three characters; shorter terms would scan the table. */
export const MIN_SEARCH_LENGTH = 3;

/** How many close words a word of the term may stand for: the most similar first. */
export const CLOSE_WORDS_PER_WORD = 8;

export interface Search {
  db: Knex;
  /** The searched table, which names the list's columns (`people`, `interactions.title`). */
  table: string;
  column: string;
  term: string;
}

/** The search a `q` parameter asks for, or `undefined` without one; a too short term is a 400. */
export function searchFor(
  db: Knex,
  table: string,
  column: string,
  term: string | undefined,
): Search | undefined {
  if (term === undefined) return undefined;
  const trimmed = term.trim();
  if (trimmed.length < MIN_SEARCH_LENGTH) {
    throw new ValidationError(`Search terms need at least ${MIN_SEARCH_LENGTH} characters.`, {
      errors: [
        {
          in: 'query',
          field: 'q',
          message: `must have at least ${MIN_SEARCH_LENGTH} characters besides spaces`,
        },
      ],
    });
  }
  return { db, table, column, term: trimmed };
}

/** Keeps the rows whose search text contains the term (LIKE wildcards in it are plain text). */
export function whereContains(query: Knex.QueryBuilder, search: Search): Knex.QueryBuilder {
  return query.whereRaw(`?? LIKE '%' || relais_unaccent(lower(?)) || '%'`, [
    searchColumn(search),
    escapeLike(search.term),
  ]);
}

/**
 * For each word of the term, the table's words closest to it (pg_trgm similarity above its
 * threshold, 0.3 by default); null when some word of the term has none, so nothing can match.
 * The words are looked up with their values in the query text's parameters, each planned for its
 * own value: a word taken from a join would leave the planner no trigrams to estimate the index
 * with, and it would read every known word instead.
 */
export async function closeWords(search: Search): Promise<string[][] | null> {
  const termWords = await selectRows<{ word: string }>(
    search.db,
    'SELECT relais_search_words(relais_unaccent(lower($1))) AS word',
    [search.term],
  );
  if (termWords.length === 0) return null;
  const lookups = termWords.map(
    (_, index) => `(SELECT ${index}::int AS term_word, word FROM (
       SELECT DISTINCT word, similarity(word, $${index + 3}) AS similarity FROM search_words
       WHERE source = $1 AND word % $${index + 3}
       ORDER BY similarity DESC, word LIMIT $2) AS close)`,
  );
  const rows = await selectRows<{ term_word: number; word: string }>(search.db, lookups.join(' UNION ALL '), [
    search.table,
    CLOSE_WORDS_PER_WORD,
    ...termWords.map((row) => row.word),
  ]);
  const groups: string[][] = termWords.map(() => []);
  for (const row of rows) groups[row.term_word]?.push(row.word);
  return groups.every((words) => words.length > 0) ? groups : null;
}

/** Keeps the rows holding, for each group, one of its words (the trigram index serves it). */
export function whereHoldsWords(
  query: Knex.QueryBuilder,
  search: Search,
  groups: string[][],
): Knex.QueryBuilder {
  for (const words of groups) {
    const patterns = words.map((word) => `%${escapeLike(word)}%`);
    query.whereRaw('?? LIKE ANY (?::text[])', [searchColumn(search), patterns]);
  }
  return query;
}

export function searchColumn(search: Search): string {
  return `${search.table}.${search.column}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The tables whose words `search_words` keeps (its `source`). */
const WORD_SOURCES = new Set(['organisations', 'people', 'interactions']);

/**
 * Deletes from `search_words` the words records dropped (`search_words_dropped`, filled by
 * triggers) that no record of their table contains any more; returns how many. Each word is
 * checked with its table locked against writes (SHARE, waiting at most `lockTimeout`): a record
 * written meanwhile either is seen holding the word or, blocked until the word is gone, adds it
 * again. A busy table ends the run; its words wait for the next one.
 */
export async function pruneSearchWords(
  db: Knex,
  options: { maxWords?: number; lockTimeout?: string } = {},
): Promise<number> {
  const candidates = await selectRows<{ source: string; word: string }>(
    db,
    'SELECT DISTINCT source, word FROM search_words_dropped LIMIT $1',
    [options.maxWords ?? 5_000],
  );
  let pruned = 0;
  for (const { source, word } of candidates) {
    try {
      pruned += await db.transaction(async (trx): Promise<number> => {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [options.lockTimeout ?? '1s']);
        const held = WORD_SOURCES.has(source) && (await heldBySomeRecord(trx, source, word));
        await trx('search_words_dropped').where({ source, word }).delete();
        return held ? 0 : await trx('search_words').where({ source, word }).delete();
      });
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') break;
      throw error;
    }
  }
  return pruned;
}

/** Whether a record of `table` contains `word`, with the table held against writes until commit. */
async function heldBySomeRecord(trx: Knex.Transaction, table: string, word: string): Promise<boolean> {
  await trx.raw('LOCK TABLE ?? IN SHARE MODE', [table]);
  return (
    (await trx(table)
      .where('search_text', 'like', `%${escapeLike(word)}%`)
      .first('id')) !== undefined
  );
}
