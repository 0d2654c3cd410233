/**
 * Keyset (cursor) pagination: pages ordered by (sort key, id), fetched with a row comparison
 * against the last row of the previous page, so page 1 and page 10,000 cost the same. Cursors are
 * opaque base64url strings bound to their list and sort; a foreign or damaged cursor is a 400.
 * Timestamp sort keys are stored with millisecond precision so they round-trip through JS dates.
 */
import type { Knex } from 'knex';
import { ValidationError } from './errors';

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
  /**
   * Order without the sort key's index. For a search, whose matches come from another index
   * (trigrams), walking the sort index and filtering would read most of the table.
   */
  sortAfterFiltering?: boolean;
  /** The row property holding the sort key (a Date is stored as its ISO string). */
  sortField: keyof Row & string;
}

/** Runs `query` for one page. `query` must not be ordered or limited yet. */
export async function keysetPage<Row>(
  query: Knex.QueryBuilder,
  options: KeysetOptions<Row>,
): Promise<Page<Row>> {
  // COALESCE(x, x) is x, but no index on x can serve it: same order, no index walk.
  const sortKey = options.sortAfterFiltering ? 'COALESCE(??, ??)' : '??';
  const sortBindings = options.sortAfterFiltering
    ? [options.sortColumn, options.sortColumn]
    : [options.sortColumn];
  if (options.cursor) {
    const [sortValue, id] = decodeCursor(options.cursor, options.tag);
    const operator = options.direction === 'asc' ? '>' : '<';
    query.whereRaw(`(${sortKey}, ??) ${operator} (?, ?)`, [...sortBindings, options.idColumn, sortValue, id]);
  }
  const direction = options.direction === 'asc' ? 'ASC' : 'DESC';
  const rows = (await query
    .orderByRaw(`${sortKey} ${direction}, ?? ${direction}`, [...sortBindings, options.idColumn])
    .limit(options.limit + 1)) as Row[];
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

export function decodeCursor(cursor: string, tag: string): [string | number, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 3 &&
      decoded[0] === tag &&
      typeof decoded[2] === 'string'
    ) {
      return [decoded[1], decoded[2]];
    }
  } catch {
    // Reported below.
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
