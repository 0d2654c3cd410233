/**
 * Accent-, case- and typo-tolerant search on a generated `search_text` column (unaccented,
 * lower-cased) with a trigram GIN index. A term matches the records that contain it; when no
 * record contains it, the records with a close-enough word (pg_trgm's word similarity) instead, so
 * a typo still finds its record. `keysetPage` pages through the matches in the list's order.
 */
import type { Knex } from 'knex';
import { ValidationError } from './errors';

/** Trigrams need three characters; shorter terms would scan the table. */
export const MIN_SEARCH_LENGTH = 3;

export interface Search {
  /** The searched table, which names the list's columns (`people`, `interactions.title`). */
  table: string;
  column: string;
  term: string;
}

/** The search a `q` parameter asks for, or `undefined` without one; a too short term is a 400. */
export function searchFor(table: string, column: string, term: string | undefined): Search | undefined {
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
  return { table, column, term: trimmed };
}

/** Keeps the rows whose search text contains the term (LIKE wildcards in it are plain text). */
export function whereContains(query: Knex.QueryBuilder, search: Search): Knex.QueryBuilder {
  const escaped = search.term.replace(/[\\%_]/g, (character) => `\\${character}`);
  return query.whereRaw(`?? LIKE '%' || relais_unaccent(lower(?)) || '%'`, [searchColumn(search), escaped]);
}

/** Keeps the rows with a word close to the term (typos), served by the same trigram index. */
export function whereResembles(query: Knex.QueryBuilder, search: Search): Knex.QueryBuilder {
  return query.whereRaw('relais_unaccent(lower(?)) <% ??', [search.term, searchColumn(search)]);
}

export function searchColumn(search: Search): string {
  return `${search.table}.${search.column}`;
}
