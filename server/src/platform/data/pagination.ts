/**
 * Keyset (cursor) pagination: pages ordered by (sort key, id), fetched with a row comparison
 * against the last row of the previous page, so page 1 and page 10,000 cost the same. Cursors are
 * opaque base64url strings bound to their list and sort; a foreign or damaged cursor is a 400.
 * Timestamp sort keys are stored with millisecond precision so they round-trip through JS dates.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../core/errors';
import { closeWords, type Search, searchColumn, whereContains, whereHoldsWords } from './search';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface KeysetOptions<Row> {
  /** Names the list and its order; a cursor from another list or order is refused. */
  tag: string;
  /** The sort column (qualified if needed) and the id column; both ordered `direction`. */
  sortColumn: string;
  idColumn: string;
  direction: 'asc' | 'desc';
  limit: number;
  cursor: string | undefined;
  /** The row property holding the sort key (a Date is stored as its ISO string). */
  sortField: keyof Row & string;
  /** Only the rows matching this search, in the same order. */
  search?: Search;
}

/**
 * How many rows of the list's own order a search reads first: enough for a term in one row out of
 * a hundred to fill a page, little enough to stay a few milliseconds when the term is rare (and
 * then its matches are few and quick to sort). A term that fills half a page there gets one
 * longer walk, sized from what the first one found, before its trigram index is read.
 */
export const SEARCH_WINDOW = 3_000;

/** Runs `query` for one page. `query` must not be ordered or limited yet. */
export async function keysetPage<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
): Promise<Page<Row>> {
  const { search } = options;
  if (!search) return fetchPage(query, options);
  const resemblingTag = `${options.tag}:resembling`;
  if (options.cursor === undefined || cursorTag(options.cursor) !== resemblingTag) {
    const containing = await matchingPage(query, options, search, (rows) => whereContains(rows, search));
    if (containing.data.length > 0 || options.cursor !== undefined) return containing;
  }
  // No row contains the term: rows with close words (a typo), paged under their own tag.
  const groups = await closeWords(search);
  if (!groups) return { data: [], next_cursor: null };
  return matchingPage(query, { ...options, tag: resemblingTag }, search, (rows) =>
    whereHoldsWords(rows, search, groups),
  );
}

/** The page of the rows `filter` keeps, whether they are common or rare. */
async function matchingPage<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
  search: Search,
  filter: (rows: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<Page<Row>> {
  // Common matches fill the page within the first rows of the list's order.
  const first = await walkWindow<Row>(query, options, search, filter, SEARCH_WINDOW);
  if (first.page) return first.page;
  // At least half a page there: the matches come every few hundred rows, and a walk long enough
  // for a page (with a margin) still reads fewer rows than all of them would be.
  if (first.found * 2 >= options.limit + 1) {
    const size = Math.ceil(((SEARCH_WINDOW * (options.limit + 1)) / first.found) * 1.25);
    const second = await walkWindow<Row>(query, options, search, filter, size);
    if (second.page) return second.page;
  }
  // Rarer ones: all of them, found through the trigram index, then sorted.
  return fetchPage<Row>(filter(query.clone()), options, { sortAfterFiltering: true });
}

/**
 * The page from the next `size` rows of the list's order (its index, no sort), or no page when
 * they hold less than a full one; `found` says how many matches they did hold.
 */
async function walkWindow<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
  search: Search,
  filter: (rows: Knex.QueryBuilder) => Knex.QueryBuilder,
  size: number,
): Promise<{ page: Page<Row> | null; found: number }> {
  const window = whereAfterCursor(query.clone().select(searchColumn(search)), options, false);
  orderPage(window, options, false).limit(size);
  const matching = filter(query.clone().clear('where').from(window.as(search.table)));
  const rows = (await orderPage(matching, options, false).limit(options.limit + 1)) as Row[];
  return { page: rows.length > options.limit ? pageOf(rows, options) : null, found: rows.length };
}

async function fetchPage<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
  { sortAfterFiltering = false } = {},
): Promise<Page<Row>> {
  whereAfterCursor(query, options, sortAfterFiltering);
  const rows = (await orderPage(query, options, sortAfterFiltering).limit(options.limit + 1)) as Row[];
  return pageOf(rows, options);
}

/**
 * The sort key's SQL and bindings. After filtering it is COALESCE(x, x): the same order, but no
 * index on x can serve it — for a search, whose matches come from another index (trigrams),
 * walking the sort index would read the table.
 */
function sortKey(sortColumn: string, sortAfterFiltering: boolean): [string, string[]] {
  return sortAfterFiltering ? ['COALESCE(??, ??)', [sortColumn, sortColumn]] : ['??', [sortColumn]];
}

function whereAfterCursor<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
  sortAfterFiltering: boolean,
): Knex.QueryBuilder {
  if (!options.cursor) return query;
  const [sortValue, id] = decodeCursor(options.cursor, options.tag);
  const operator = options.direction === 'asc' ? '>' : '<';
  const [key, bindings] = sortKey(options.sortColumn, sortAfterFiltering);
  return query.whereRaw(`(${key}, ??) ${operator} (?, ?)`, [...bindings, options.idColumn, sortValue, id]);
}

function orderPage<Row>(query: Knex.QueryBuilder, options: KeysetOptions<Row>, sortAfterFiltering: boolean) {
  const direction = options.direction === 'asc' ? 'ASC' : 'DESC';
  const [key, bindings] = sortKey(options.sortColumn, sortAfterFiltering);
  return query.orderByRaw(`${key} ${direction}, ?? ${direction}`, [...bindings, options.idColumn]);
}

function pageOf<Row>(rows: Row[], options: KeysetOptions<Row>): Page<Row> {
  const hasMore = rows.length > options.limit;
  const data = hasMore ? rows.slice(0, options.limit) : rows;
  const last = data[data.length - 1];
  return {
    data,
    next_cursor: hasMore && last ? encodeCursor(options.tag, keyOf(last, options.sortField)) : null,
  };
}

function keyOf<Row>(row: Row, sortField: keyof Row & string): [string | number, string] {
  const value = row[sortField] as unknown;
  const id = (row as { id: string }).id;
  return [value instanceof Date ? value.toISOString() : (value as string | number), id];
}

/** A documented sort: `name` ascending, `-name` descending. */
export interface SortChoice {
  sortColumn: string;
  sortField: string;
  direction: 'asc' | 'desc';
  tag: string;
}

/**
 * Resolves a `sort` parameter against the sorts a list documents (`field` → column); the spec's
 * enum has already refused anything else.
 */
export function chooseSort(list: string, sort: string, columns: Record<string, string>): SortChoice {
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const field = sort.replace(/^-/, '');
  const column = columns[field];
  if (!column)
    throw new ValidationError(`Unknown sort ${sort}.`, {
      errors: [{ in: 'query', field: 'sort', message: `must be one of: ${Object.keys(columns).join(', ')}` }],
    });
  return { sortColumn: column, sortField: field, direction, tag: `${list}:${field}:${direction}` };
}

export function encodeCursor(tag: string, key: [string | number, string]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

/** The tag a cursor claims, unchecked (undefined when it is not a cursor at all). */
function cursorTag(cursor: string): unknown {
  return parseCursor(cursor)?.[0];
}

/** The cursor's parts, unchecked; undefined when it is not a cursor at all. */
function parseCursor(cursor: string): unknown[] | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

export function decodeCursor(cursor: string, tag: string): [string | number, string] {
  const decoded = parseCursor(cursor);
  if (decoded?.length === 3 && decoded[0] === tag && typeof decoded[2] === 'string') {
    return [decoded[1] as string | number, decoded[2]];
  }
  throw new ValidationError(
    'The cursor does not belong to this list and order; request the first page without it.',
    {
      errors: [
        { in: 'query', field: 'cursor', message: 'is not a cursor of this list; omit it to start again' },
      ],
    },
  );
}
