/**
 * Exports: people, organisations or interactions as CSV or JSON Lines, streamed from a database
 * cursor (1,000 rows at a time) to any writable — an HTTP response, a file, stdout — so memory
 * stays flat whatever the table's size. The same filters as the list endpoints (but `q`); rows in
 * id order. The Excel flavour of CSV uses `;`, CRLF and a byte-order mark, which Excel in French
 * opens without an import wizard.
 */
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import QueryStream from 'pg-query-stream';
import { filteredInteractions, INTERACTION_COLUMNS, type InteractionFilters } from '../interactions';
import { filteredOrganisations, ORGANISATION_COLUMNS, type OrganisationFilters } from '../organisations';
import { filteredPeople, PERSON_COLUMNS, type PersonFilters } from '../people';
import type { Knex } from '../platform/data/db';

export const EXPORT_RESOURCES = ['people', 'organisations', 'interactions'] as const;
export type ExportResource = (typeof EXPORT_RESOURCES)[number];
export type ExportFormat = 'csv' | 'jsonl';

export interface ExportFilters {
  people: Omit<PersonFilters, 'q'>;
  organisations: Omit<OrganisationFilters, 'q'>;
  interactions: Omit<InteractionFilters, 'q'>;
}

/**
 * The columns of each export, in order: the resource's columns as the API shows them; people also
 * get the name of their primary organisation, which an import of people reads back.
 */
const unqualified = (columns: readonly string[]) => columns.map((column) => column.replace(/^\w+\./, ''));
const personColumns = unqualified(PERSON_COLUMNS);
export const EXPORT_COLUMNS: Record<ExportResource, readonly string[]> = {
  people: [
    ...personColumns.slice(0, personColumns.indexOf('owner_id')),
    'organisation',
    ...personColumns.slice(personColumns.indexOf('owner_id')),
  ],
  organisations: unqualified(ORGANISATION_COLUMNS),
  interactions: unqualified(INTERACTION_COLUMNS),
};

function exportQuery<R extends ExportResource>(
  db: Knex,
  resource: R,
  filters: ExportFilters[R],
): Knex.QueryBuilder {
  switch (resource) {
    case 'people':
      return filteredPeople(db, filters as ExportFilters['people'])
        .clearSelect()
        .select(
          EXPORT_COLUMNS.people
            .filter((column) => column !== 'organisation')
            .map((column) => `people.${column}`),
        )
        .select(
          db.raw(
            `(SELECT o.name FROM person_organisations po JOIN organisations o ON o.id = po.organisation_id
               WHERE po.person_id = people.id ORDER BY po.is_primary DESC, o.name LIMIT 1) AS organisation`,
          ),
        )
        .orderBy('people.id');
    case 'organisations':
      return filteredOrganisations(db, filters as ExportFilters['organisations'])
        .clearSelect()
        .select(EXPORT_COLUMNS.organisations.map((column) => `organisations.${column}`))
        .orderBy('organisations.id');
    default:
      return filteredInteractions(db, filters as ExportFilters['interactions'])
        .clearSelect()
        .select(EXPORT_COLUMNS.interactions.map((column) => `interactions.${column}`))
        .orderBy('interactions.id');
  }
}

export interface ExportOptions<R extends ExportResource> {
  format: ExportFormat;
  /** CSV for Excel: `;`, CRLF, a byte-order mark. */
  excel?: boolean;
  filters?: ExportFilters[R];
  /** Called every 1,000 rows and at the end with the rows written so far. */
  onProgress?: (rows: number) => void;
}

/** Streams the export into `out` (ended at the end); resolves with the number of rows. */
export async function streamExport<R extends ExportResource>(
  db: Knex,
  resource: R,
  options: ExportOptions<R>,
  out: Writable,
): Promise<number> {
  const { sql, bindings } = exportQuery(db, resource, options.filters ?? ({} as ExportFilters[R]))
    .toSQL()
    .toNative();
  const columns = EXPORT_COLUMNS[resource];
  let rows = 0;
  const counter = new Transform({
    objectMode: true,
    transform(row: Record<string, unknown>, _encoding, done) {
      rows += 1;
      if (rows % 1_000 === 0) options.onProgress?.(rows);
      done(null, row);
    },
  });
  const encoder =
    options.format === 'csv'
      ? stringify({
          header: true,
          columns: [...columns],
          delimiter: options.excel ? ';' : ',',
          record_delimiter: options.excel ? 'windows' : 'unix',
          bom: options.excel ?? false,
          cast: { date: (value) => value.toISOString(), boolean: (value) => String(value) },
        })
      : new Transform({
          writableObjectMode: true,
          transform(row: Record<string, unknown>, _encoding, done) {
            done(
              null,
              `${JSON.stringify(Object.fromEntries(columns.map((column) => [column, row[column] ?? null])))}\n`,
            );
          },
        });
  // A connection of the pool, held for the cursor's life.
  const client = db.client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(c: PgConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    const cursor = connection.query(new QueryStream(sql, bindings as unknown[], { batchSize: 1_000 }));
    await pipeline(cursor, counter, encoder, out);
  } finally {
    await client.releaseConnection(connection);
  }
  options.onProgress?.(rows);
  return rows;
}

interface PgConnection {
  query(stream: QueryStream): QueryStream;
}
