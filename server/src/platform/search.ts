/**
 * Accent-, case- and typo-tolerant search on a generated `search_text` column (unaccented,
 * lower-cased) with a trigram GIN index: a substring match, or a close-enough word (pg_trgm's
 * word similarity), both served by the index.
 */
import type { Knex } from 'knex';
import { ValidationError } from './errors';

/** Trigrams need three characters; shorter terms would scan the table. */
export const MIN_SEARCH_LENGTH = 3;

export function applySearch(query: Knex.QueryBuilder, column: string, term: string | undefined): void {
  if (term === undefined) return;
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
  const escaped = trimmed.replace(/[\\%_]/g, (character) => `\\${character}`);
  query.where((where) =>
    where
      .whereRaw(`?? LIKE '%' || relais_unaccent(lower(?)) || '%'`, [column, escaped])
      .orWhereRaw('relais_unaccent(lower(?)) <% ??', [trimmed, column]),
  );
}
