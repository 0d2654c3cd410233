/**
 * CSV imports of people and organisations, as spreadsheets and older CRMs write them.
 *
 * - **Reading.** UTF-8 (with or without a byte-order mark) or Windows-1252 (Excel in France),
 *   detected from the bytes; `;`, `,` or tab detected from the header line; quoted fields with
 *   separators and line breaks. Streamed: memory holds one batch, whatever the file's size.
 * - **Columns.** Headers map to fields by French and English names (`Nom`, `Prénom`, `Société`,
 *   `E-mail`, …); `map` overrides or adds (`{ "Raison sociale": "name" }`). Unknown columns are
 *   reported and ignored; a missing required column refuses the whole file.
 * - **Rows.** Each row is checked by the API's own schema (`createPerson`, `createOrganisation`);
 *   a bad row is reported — row number as a spreadsheet shows it, column, reason — and never stops
 *   the good ones.
 * - **Upsert, set-based.** People are matched by email (case-insensitive), or by first and last
 *   name when the row has no email; organisations by name and country. A matched record is
 *   updated only where a non-empty cell differs; an unchanged one is skipped. Batches of 2,000
 *   rows are each one transaction of a few statements, audited row by row. A record named twice
 *   in a file is caught through a temporary table, not a map in memory. Running a file twice
 *   changes nothing the second time, and a run killed midway is finished by running it again.
 * - `dryRun` runs the same statements and rolls them back: the counts are what a real run does.
 */
import { pipeline, Readable, type Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import type { PeopleDeps } from '../people';
import type { RequestContext } from '../platform/core/context';
import type { FieldError } from '../platform/core/errors';
import { actorOf } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { openSession, type Session } from '../platform/data/sql';
import { tags } from '../platform/runtime/cache';
import { type OpenApiValidator, RequestValidationFailure } from '../platform/web/openapi';
import { erasedAmong } from '../privacy';

export const IMPORT_RESOURCES = ['people', 'organisations'] as const;
export type ImportResource = (typeof IMPORT_RESOURCES)[number];

type Row = Record<string, string>;

/** Header names, folded (lower case, no accents, letters and digits only), to fields. */
const DEFAULT_HEADERS: Record<ImportResource, Record<string, string>> = {
  people: {
    prenom: 'first_name',
    firstname: 'first_name',
    givenname: 'first_name',
    nom: 'last_name',
    nomdefamille: 'last_name',
    lastname: 'last_name',
    surname: 'last_name',
    familyname: 'last_name',
    email: 'email',
    mail: 'email',
    courriel: 'email',
    adresseemail: 'email',
    emailaddress: 'email',
    telephone: 'phone',
    tel: 'phone',
    phone: 'phone',
    mobile: 'phone',
    portable: 'phone',
    fonction: 'job_title',
    poste: 'job_title',
    jobtitle: 'job_title',
    title: 'job_title',
    langue: 'language',
    language: 'language',
    notes: 'notes',
    note: 'notes',
    commentaire: 'notes',
    commentaires: 'notes',
    remarques: 'notes',
    societe: 'organisation',
    entreprise: 'organisation',
    organisation: 'organisation',
    organization: 'organisation',
    company: 'organisation',
  },
  organisations: {
    nom: 'name',
    name: 'name',
    raisonsociale: 'name',
    societe: 'name',
    entreprise: 'name',
    company: 'name',
    organisation: 'name',
    type: 'type',
    categorie: 'category',
    category: 'category',
    secteur: 'category',
    pays: 'country',
    country: 'country',
    siteweb: 'website',
    site: 'website',
    website: 'website',
    url: 'website',
    notes: 'notes',
    commentaire: 'notes',
    commentaires: 'notes',
  },
};

const FIELDS: Record<ImportResource, readonly string[]> = {
  people: ['first_name', 'last_name', 'email', 'phone', 'job_title', 'language', 'notes', 'organisation'],
  organisations: ['name', 'type', 'category', 'country', 'website', 'notes'],
};
const REQUIRED: Record<ImportResource, readonly string[]> = {
  people: ['first_name', 'last_name'],
  organisations: ['name'],
};
const OPERATION: Record<ImportResource, string> = {
  people: 'createPerson',
  organisations: 'createOrganisation',
};
/** Fields compared and written by the upsert (the organisation link is handled apart). */
const STORED: Record<ImportResource, readonly string[]> = {
  people: ['first_name', 'last_name', 'email', 'phone', 'job_title', 'language', 'notes'],
  organisations: ['name', 'type', 'category', 'country', 'website', 'notes'],
};
const BATCH = 2_000;
/** Batches written at once. */
const WRITERS = 2;

export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A file (or its column mapping, `parameter: 'map'`) that cannot be imported at all. */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly parameter?: 'map',
  ) {
    super(message);
  }
}

/** `"Nom=last_name,Prénom=first_name"` → `{ Nom: 'last_name', Prénom: 'first_name' }`. */
export function parseColumnMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const at = pair.lastIndexOf('=');
    const header = pair.slice(0, at).trim();
    const target = pair.slice(at + 1).trim();
    if (at < 0 || !header || !target)
      throw new ImportFileError(`"${pair.trim()}" is not header=field`, 'map');
    map[header] = target;
  }
  return map;
}

/** What tells records apart in an import: the email, else the name; an organisation's name and country. */
function keyOf(resource: ImportResource, values: Row): string {
  if (resource === 'organisations')
    return JSON.stringify(['org', values.name!.toLowerCase(), values.country ?? '']);
  return values.email
    ? `email:${values.email.toLowerCase()}`
    : JSON.stringify(['name', values.first_name!.toLowerCase(), values.last_name!.toLowerCase()]);
}

export interface ImportError {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  resource: ImportResource;
  dry_run: boolean;
  encoding: 'utf-8' | 'windows-1252';
  delimiter: string;
  /** Header → field, for the columns read. */
  columns: Record<string, string>;
  ignored_columns: string[];
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
}

export interface ImportOptions {
  resource: ImportResource;
  validator: OpenApiValidator;
  /** Extra or overriding header → field pairs. */
  map?: Record<string, string>;
  dryRun?: boolean;
  /** Who imports: the audit log's actor and the owner of what is created. */
  importer: Importer;
  /** Receives the error CSV (`row,column,reason`); ended at the end. */
  errors?: Writable;
  onProgress?: (rows: number) => void;
  /** After each batch is written (or rolled back, in a dry run): the counts so far. */
  onBatch?: (
    progress: Pick<ImportReport, 'rows' | 'created' | 'updated' | 'skipped' | 'errors'>,
  ) => Promise<void>;
  now?: Date;
}

/** Who an import acts as: the audit log's actor, the owner of what it creates, the request it serves. */
export interface Importer {
  actor: { type: string; id: string | null };
  ownerId: string | null;
  requestId: string | null;
}

/** The importer of a request or command (null: the system). */
export function importerOf(context: RequestContext | null): Importer {
  if (!context) return { actor: { type: 'system', id: null }, ownerId: null, requestId: null };
  return {
    actor: actorOf(context.principal),
    ownerId: context.principal.kind === 'user' ? context.principal.user.id : null,
    requestId: context.requestId,
  };
}

/**
 * Which field each column fills: the mapping given, else the French and English defaults; a field
 * named twice is read from its first column. Throws when a mapping names no field or a required
 * column is missing.
 */
export function mapColumns(
  resource: ImportResource,
  headers: readonly string[],
  map: Record<string, string> = {},
  /** How the reader names a mapping, for the error's fix. */
  mapping = (pair: string) => `--map "${pair}"`,
): { fieldOf: Array<string | undefined>; columns: Record<string, string>; ignored: string[] } {
  const overrides = new Map(Object.entries(map).map(([header, field]) => [foldHeader(header), field]));
  for (const [header, field] of overrides) {
    if (!FIELDS[resource].includes(field))
      throw new ImportFileError(
        `cannot map "${header}" to "${field}": the fields are ${FIELDS[resource].join(', ')}`,
        'map',
      );
  }
  const taken = new Set<string>();
  const fieldOf = headers.map((header) => {
    const field = overrides.get(foldHeader(header)) ?? DEFAULT_HEADERS[resource][foldHeader(header)];
    if (!field || taken.has(field)) return undefined;
    taken.add(field);
    return field;
  });
  const columns: Record<string, string> = {};
  const ignored: string[] = [];
  headers.forEach((header, index) => {
    const field = fieldOf[index];
    if (field) columns[header] = field;
    else ignored.push(header);
  });
  const missing = REQUIRED[resource].filter((field) => !taken.has(field));
  if (missing.length)
    throw new ImportFileError(
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: name ${missing.length > 1 ? 'them' : 'it'} in the header, or map one with ${mapping(`Header=${missing[0]}`)}`,
    );
  return { fieldOf, columns, ignored };
}

/** The header line of a file (its first 64 kB suffice), as `importCsv` would read it. */
export function headerLine(file: Buffer): string[] {
  const head = file.subarray(0, 64 * 1024);
  const { encoding, delimiter } = sniff(head);
  const text = iconv.decode(head, encoding);
  const [header] = parseSync(text, {
    delimiter,
    bom: true,
    to_line: 1,
    relax_quotes: true,
    trim: true,
  }) as string[][];
  if (!header) throw new ImportFileError('the file is empty: a header line is expected');
  return header;
}

/** Reads the first bytes: encoding (BOM, or valid UTF-8, else Windows-1252) and separator. */
function sniff(head: Buffer): { encoding: 'utf-8' | 'windows-1252'; delimiter: string } {
  let encoding: 'utf-8' | 'windows-1252' = 'utf-8';
  if (!(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)) {
    // A multi-byte character may be cut at the end of the sample: leave its bytes out.
    let end = head.length;
    for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
      const byte = head[end - back]!;
      if ((byte & 0xc0) === 0xc0) {
        end -= back;
        break;
      }
      if ((byte & 0x80) === 0) break;
    }
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    } catch {
      encoding = 'windows-1252';
    }
  }
  const firstLine = iconv.decode(head, encoding).split(/\r?\n/)[0] ?? '';
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t'].map(
    (delimiter) => [delimiter, outsideQuotes.split(delimiter).length - 1] as const,
  );
  const [delimiter] = counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best));
  return { encoding, delimiter };
}

/** The first bytes of `input`, and a stream that gives all of them again. */
async function peek(
  input: Readable,
  bytes: number,
): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncIterable<Buffer> {
    yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { head, stream: all() };
}

/** Imports a CSV file; bad rows go to `options.errors`, the rest are upserted. */
export async function importCsv(
  deps: PeopleDeps,
  input: Readable,
  options: ImportOptions,
): Promise<ImportReport> {
  const { db } = deps;
  const { resource } = options;
  const { head, stream } = await peek(input, 64 * 1024);
  const { encoding, delimiter } = sniff(head);
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  });
  // Bytes → text → records; a failure anywhere ends the records with it.
  pipeline(Readable.from(stream), iconv.decodeStream(encoding), parser, () => undefined);

  const errorCsv = stringify({ header: true, columns: ['row', 'column', 'reason'] });
  // Without a destination the error rows are only counted.
  if (!options.errors) errorCsv.resume();
  const errorsDone = options.errors
    ? new Promise<void>((resolve, reject) => {
        errorCsv.pipe(options.errors!).on('finish', resolve).on('error', reject);
      })
    : Promise.resolve();

  const report: ImportReport = {
    resource,
    dry_run: options.dryRun ?? false,
    encoding,
    delimiter,
    columns: {},
    ignored_columns: [],
    rows: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    errors: 0,
  };
  // Problems are written in row order: those of rows read since the last batch wait for it, as
  // writing a batch may refuse some of its rows too.
  let problems: ImportError[] = [];
  const fail = (error: ImportError) => {
    problems.push(error);
  };
  const writeProblems = (found: ImportError[]) => {
    found.sort((a, b) => a.row - b.row);
    report.errors += found.length;
    for (const error of found) errorCsv.write(error);
  };

  let headers: string[] | null = null;
  let fieldOf: Array<string | undefined> = [];
  let batch: Array<{ row: number; values: Row }> = [];
  const columnOf = (field: string) => headers![fieldOf.indexOf(field)] ?? field;
  const keys = await FileKeys.open(db, resource);
  const operation = options.validator.operations.find((candidate) => candidate.id === OPERATION[resource])!;
  let rowNumber = 1;
  // Batches are written by `WRITERS` transactions at once while the next rows are read and
  // checked, so the database's cores and this process work together. A file names each record
  // once (a later row naming it again is refused as a duplicate), so no two batches touch the same record;
  // organisations named by rows are created under a lock. Problems and progress are reported in
  // batch order.
  const writing = new Set<Promise<void>>();
  let reported: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const flush = async () => {
    const found = problems;
    // The same record twice in one file: the first row counts.
    const rows = await keys.firstOnly(batch, ({ row, values }, first) =>
      found.push({
        row,
        column:
          resource === 'people' && values.email
            ? columnOf('email')
            : columnOf(resource === 'people' ? 'last_name' : 'name'),
        reason: `the same ${resource === 'people' ? 'person' : 'organisation'} as row ${first}`,
      }),
    );
    batch = [];
    problems = [];
    while (writing.size >= WRITERS) await Promise.race(writing);
    if (failure) throw failure.error;
    const written = rows.length
      ? upsertBatch(deps, resource, rows, Object.values(report.columns), options, report)
      : Promise.resolve([]);
    const settled = written.then(
      () => undefined,
      (error: unknown) => {
        failure ??= { error };
      },
    );
    writing.add(settled);
    void settled.then(() => writing.delete(settled));
    const previous = reported;
    reported = (async () => {
      const refused = await written;
      await previous;
      writeProblems([...found, ...refused]);
      const { rows: read, created, updated, skipped, errors } = report;
      if (rows.length) await options.onBatch?.({ rows: read, created, updated, skipped, errors });
    })();
    // Seen when awaited at the end; until then a failure must not count as unhandled.
    reported.catch(() => undefined);
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!headers) {
        headers = record;
        const mapping = mapColumns(resource, headers, options.map);
        fieldOf = mapping.fieldOf;
        report.columns = mapping.columns;
        report.ignored_columns = mapping.ignored;
        continue;
      }
      rowNumber += 1;
      report.rows += 1;
      const values: Row = {};
      record.forEach((cell, index) => {
        const field = fieldOf[index];
        if (field && cell !== '') values[field] = cell;
      });
      if (resource === 'organisations') {
        values.type ??= 'other';
        if (values.country) values.country = values.country.toUpperCase();
      }
      const { organisation, ...body } = values;
      if (organisation && organisation.length > 200) {
        fail({
          row: rowNumber,
          column: columnOf('organisation'),
          reason: 'must NOT have more than 200 characters',
        });
        continue;
      }
      try {
        options.validator.validateBody(operation, body);
      } catch (error) {
        if (!(error instanceof RequestValidationFailure)) throw error;
        for (const field of error.errors as FieldError[]) {
          const name = field.field.replace(/^\//, '').split('/')[0] ?? '';
          fail({ row: rowNumber, column: name ? columnOf(name) : '', reason: field.message });
        }
        continue;
      }
      batch.push({ row: rowNumber, values });
      if (batch.length >= BATCH) await flush();
      if (report.rows % BATCH === 0) options.onProgress?.(report.rows);
    }
    if (!headers) throw new ImportFileError('the file is empty: a header line is expected');
    await flush();
    await Promise.all(writing);
    await reported;
  } finally {
    await Promise.allSettled(writing);
    await keys.close();
  }
  options.onProgress?.(report.rows);
  errorCsv.end();
  await errorsDone;
  return report;
}

class DryRun extends Error {}

/**
 * The records a file has named so far (by `keyOf`), so that a later row naming one again is
 * refused. Kept in a temporary table of a session of the import's own, not in memory: memory stays
 * flat whatever the file's size.
 */
class FileKeys {
  private constructor(
    private readonly session: Session,
    private readonly resource: ImportResource,
  ) {}

  static async open(db: Knex, resource: ImportResource): Promise<FileKeys> {
    const session = await openSession(db);
    try {
      await session.query('DROP TABLE IF EXISTS pg_temp.relais_import_keys');
      await session.query(
        'CREATE TEMPORARY TABLE relais_import_keys (key text PRIMARY KEY, "row" int NOT NULL)',
      );
    } catch (error) {
      await session.release();
      throw error;
    }
    return new FileKeys(session, resource);
  }

  /** The rows of `batch` naming their record first; each other row goes to `duplicate`, with the first's number. */
  async firstOnly(
    batch: Array<{ row: number; values: Row }>,
    duplicate: (row: { row: number; values: Row }, first: number) => void,
  ): Promise<Array<{ row: number; values: Row }>> {
    const inBatch = new Map<string, number>();
    const keyed: Array<{ row: { row: number; values: Row }; key: string }> = [];
    for (const row of batch) {
      const key = keyOf(this.resource, row.values);
      const first = inBatch.get(key);
      if (first === undefined) {
        inBatch.set(key, row.row);
        keyed.push({ row, key });
      } else duplicate(row, first);
    }
    if (keyed.length === 0) return [];
    // Rows named by earlier batches; the others are recorded.
    const earlier = await this.session.query<{ row: number; first: number }>(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::int[]) AS i(key, "row")),
            earlier AS (SELECT i.row, k.row AS first FROM input i JOIN relais_import_keys k ON k.key = i.key),
            recorded AS (
              INSERT INTO relais_import_keys SELECT key, "row" FROM input
               WHERE "row" NOT IN (SELECT "row" FROM earlier))
       SELECT "row", first FROM earlier`,
      [keyed.map((entry) => entry.key), keyed.map((entry) => entry.row.row)],
    );
    const firstOf = new Map(earlier.map((entry) => [entry.row, entry.first]));
    return keyed.flatMap(({ row }) => {
      const first = firstOf.get(row.row);
      if (first === undefined) return [row];
      duplicate(row, first);
      return [];
    });
  }

  /** Drops the table and gives the session back. */
  async close(): Promise<void> {
    try {
      await this.session.query('DROP TABLE IF EXISTS pg_temp.relais_import_keys');
    } finally {
      await this.session.release();
    }
  }
}

async function upsertBatch(
  deps: PeopleDeps,
  resource: ImportResource,
  batch: Array<{ row: number; values: Row }>,
  mapped: readonly string[],
  options: ImportOptions,
  report: ImportReport,
): Promise<ImportError[]> {
  const counts = { created: 0, updated: 0, skipped: 0 };
  const rejected: ImportError[] = [];
  try {
    await transaction(deps.db, async (trx) => {
      let rows = batch;
      if (resource === 'people') {
        const erased = await erasedAmong(
          trx,
          rows.flatMap((row) => (row.values.email ? [row.values.email] : [])),
        );
        if (erased.size) {
          rows = rows.filter((row) => {
            if (!row.values.email || !erased.has(row.values.email.toLowerCase())) return true;
            rejected.push({
              row: row.row,
              column: 'email',
              reason: 'this address belonged to a person erased on request (GDPR); not imported',
            });
            return false;
          });
        }
      }
      if (rows.length === 0) return;
      // Compared and updated: the columns the file has; created: those, and a type by default.
      const fields = STORED[resource].filter((field) => mapped.includes(field));
      const insertFields =
        resource === 'organisations' && !fields.includes('type') ? [...fields, 'type'] : fields;
      const { actor, ownerId: owner, requestId } = options.importer;
      const input = JSON.stringify(rows.map((row) => ({ row: row.row, ...row.values })));
      const table = resource;
      // Each branch on its own index: the email's, or the name's for people without one.
      const match =
        resource === 'people'
          ? `(SELECT * FROM people t WHERE i.email IS NOT NULL AND t.email = i.email::citext)
             UNION ALL
             (SELECT * FROM people t WHERE i.email IS NULL AND t.email IS NULL
                 AND lower(t.last_name) = lower(i.last_name) AND lower(t.first_name) = lower(i.first_name)
               ORDER BY t.created_at, t.id LIMIT 1)`
          : `SELECT * FROM organisations t WHERE lower(t.name) = lower(i.name) AND t.country IS NOT DISTINCT FROM i.country
               ORDER BY t.created_at, t.id`;
      const columns = FIELDS[resource].map((field) => `${field} text`).join(', ');
      // One statement: each row and the record it matches (if any), and for the rows matching
      // none a new record (its id made first, to tell which row made it) with its audit entry.
      const { rows: matched } = await trx.raw<{
        rows: Array<{ row: number; id: string | null; changed: string[]; created: string | null }>;
      }>(
        `WITH i AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS i("row" int, ${columns})),
              matched AS MATERIALIZED (
                SELECT i.*, t.id AS match_id,
                       array_remove(ARRAY[${fields
                         .map(
                           (field) =>
                             `CASE WHEN i.${field} IS NOT NULL AND i.${field} IS DISTINCT FROM t.${field}::text THEN '${field}' END`,
                         )
                         .join(', ')}]::text[], NULL) AS changed
                  FROM i LEFT JOIN LATERAL (${match} LIMIT 1) t ON true),
              fresh AS MATERIALIZED (SELECT relais_uuid_v7() AS id, m.* FROM matched m WHERE m.match_id IS NULL),
              created AS (
                INSERT INTO ${table} (id, ${insertFields.join(', ')}, owner_id, created_by)
                SELECT f.id, ${insertFields.map((field) => `f.${field}`).join(', ')}, ?::uuid, ?::uuid FROM fresh f ORDER BY f.row
                RETURNING *),
              audited AS (
                INSERT INTO audit_log (principal_type, principal_id, action, resource, resource_id, changes, request_id)
                SELECT ?, ?::uuid, 'create', ?, c.id,
                       jsonb_strip_nulls(jsonb_build_object(${insertFields.map((field) => `'${field}', c.${field}`).join(', ')}, 'imported', true)), ?
                  FROM created c)
         SELECT m.row, m.match_id AS id, m.changed, f.id AS created
           FROM matched m LEFT JOIN fresh f ON f.row = m.row
          ORDER BY m.row`,
        [input, owner, owner, actor.type, actor.id, resource, requestId],
      );
      const byRow = new Map(rows.map((row) => [row.row, row.values]));
      const toUpdate = matched.filter((row) => row.id !== null && row.changed.length > 0);
      /** Row number → the record created for it. */
      const createdFor = new Map(matched.flatMap((row) => (row.created ? [[row.row, row.created]] : [])));
      counts.created = createdFor.size;
      counts.skipped = matched.length - createdFor.size - toUpdate.length;
      const touched = [...createdFor.values()];
      if (resource === 'people' && createdFor.size)
        await linkCreatedPeople(
          { ...deps, db: trx },
          [...createdFor].map(([row, id]) => ({ id, email: byRow.get(row)!.email ?? null })),
          options.now ?? new Date(),
        );
      if (toUpdate.length) {
        const updates = toUpdate.map((row) => ({ id: row.id, changed: row.changed, ...byRow.get(row.row)! }));
        await trx.raw(
          `WITH i AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS i(id uuid, changed text[], ${columns})),
                before AS (SELECT t.* FROM ${table} t JOIN i ON i.id = t.id FOR UPDATE OF t),
                updated AS (
                  UPDATE ${table} t SET ${fields
                    .map(
                      (field) =>
                        `${field} = CASE WHEN '${field}' = ANY(i.changed) THEN i.${field} ELSE t.${field} END`,
                    )
                    .join(', ')}, updated_at = now()
                    FROM i WHERE t.id = i.id RETURNING t.id)
           INSERT INTO audit_log (principal_type, principal_id, action, resource, resource_id, changes, request_id)
           SELECT ?, ?::uuid, 'update', ?, i.id,
                  (SELECT jsonb_object_agg(f, jsonb_build_object('from', to_jsonb(b) -> f, 'to', to_jsonb(i) -> f))
                     FROM unnest(i.changed) AS f), ?
             FROM i JOIN before b ON b.id = i.id`,
          [JSON.stringify(updates), actor.type, actor.id, resource, requestId],
        );
        counts.updated = toUpdate.length;
        touched.push(...toUpdate.map((row) => row.id!));
      }
      if (resource === 'people' && mapped.includes('organisation')) {
        const linked = await linkOrganisations(trx, rows, matched, createdFor, touched, owner);
        counts.updated += linked;
        counts.skipped -= linked;
      }
      await deps.cache.invalidate(trx, [
        tags.people,
        ...touched.map((id) => (resource === 'people' ? tags.person(id) : tags.organisation(id))),
      ]);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  report.created += counts.created;
  report.updated += counts.updated;
  report.skipped += counts.skipped;
  return rejected;
}

/** What waited for these people's addresses before they existed is theirs now (as in the API). */
async function linkCreatedPeople(
  deps: PeopleDeps,
  created: Array<{ id: string; email: string | null }>,
  now: Date,
): Promise<void> {
  const emails = created.flatMap((person) => (person.email ? [person.email] : []));
  const waiting = await deps.waiting.among(deps.db, emails);
  for (const person of created)
    if (person.email && waiting.has(person.email))
      await deps.waiting.claim(deps, person.id, person.email, now);
}

/**
 * Links each row's person to the organisation its `organisation` cell names (created, type
 * `other`, when no organisation has that name). Returns how many existing people got a new link
 * without another change (they count as updated).
 */
async function linkOrganisations(
  trx: Knex.Transaction,
  rows: Array<{ row: number; values: Row }>,
  matched: Array<{ row: number; id: string | null; changed: string[] }>,
  createdFor: ReadonlyMap<number, string>,
  touched: readonly string[],
  owner: string | null,
): Promise<number> {
  const withOrganisation = rows.filter((row) => row.values.organisation);
  if (withOrganisation.length === 0) return 0;
  // Each name once: the oldest organisation of that name, or a new one.
  const names = [
    ...new Map(
      withOrganisation.map((row) => [row.values.organisation!.toLowerCase(), row.values.organisation!]),
    ).values(),
  ];
  const found = await findOrganisations(trx, names);
  const missing = unfound(names, found);
  const organisations = missing.length
    ? [...found, ...(await createOrganisations(trx, missing, owner))]
    : found;
  const organisationOf = new Map(organisations.map((row) => [row.name, row.id]));
  // Each row's person: the one it matched, or the one created for it (whose first link is primary).
  const personOf = new Map(createdFor);
  for (const row of matched) if (row.id) personOf.set(row.row, row.id);
  const links = withOrganisation.flatMap((row) => {
    const person = personOf.get(row.row);
    return person
      ? [
          {
            person,
            organisation: organisationOf.get(row.values.organisation!.toLowerCase())!,
            created: createdFor.has(row.row),
          },
        ]
      : [];
  });
  // A created person's link is new and primary; an existing person's may be there already.
  const [forCreated, forExisting] = [
    links.filter((link) => link.created),
    links.filter((link) => !link.created),
  ];
  if (forCreated.length)
    await trx.raw(
      `INSERT INTO person_organisations (person_id, organisation_id, is_primary)
       SELECT l.person_id, l.organisation_id, true FROM unnest(?::uuid[], ?::uuid[]) AS l(person_id, organisation_id)`,
      [forCreated.map((link) => link.person), forCreated.map((link) => link.organisation)],
    );
  if (forExisting.length === 0) return 0;
  const { rows: added } = await trx.raw<{ rows: Array<{ person_id: string }> }>(
    `INSERT INTO person_organisations (person_id, organisation_id, is_primary)
     SELECT l.person_id, l.organisation_id,
            NOT EXISTS (SELECT 1 FROM person_organisations p WHERE p.person_id = l.person_id AND p.is_primary)
       FROM unnest(?::uuid[], ?::uuid[]) AS l(person_id, organisation_id)
      -- A conflict is costly (a speculative insert each): existing links are left out first.
      WHERE NOT EXISTS (SELECT 1 FROM person_organisations p
                         WHERE p.person_id = l.person_id AND p.organisation_id = l.organisation_id)
     ON CONFLICT DO NOTHING
     RETURNING person_id`,
    [forExisting.map((link) => link.person), forExisting.map((link) => link.organisation)],
  );
  const changedBefore = new Set(touched);
  return new Set(added.map((row) => row.person_id).filter((id) => !changedBefore.has(id))).size;
}

/** The oldest organisation of each name (case-insensitive), keyed by the lower-cased name. */
async function findOrganisations(
  trx: Knex.Transaction,
  names: string[],
): Promise<Array<{ name: string; id: string }>> {
  const { rows } = await trx.raw<{ rows: Array<{ name: string; id: string }> }>(
    `SELECT DISTINCT ON (w.key) w.key AS name, o.id
       FROM (SELECT lower(n) AS key FROM unnest(?::text[]) AS n) w
       JOIN organisations o ON lower(o.name) = w.key
      ORDER BY w.key, o.created_at, o.id`,
    [names],
  );
  return rows;
}

function unfound(names: readonly string[], found: ReadonlyArray<{ name: string }>): string[] {
  const known = new Set(found.map((row) => row.name));
  return names.filter((name) => !known.has(name.toLowerCase()));
}

/**
 * Organisations named by rows that none has yet, created (type `other`). Under a lock, so that
 * batches written at once do not both create one; a name another batch created meanwhile is found.
 */
async function createOrganisations(
  trx: Knex.Transaction,
  names: string[],
  owner: string | null,
): Promise<Array<{ name: string; id: string }>> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('relais.import.organisations'))");
  const found = await findOrganisations(trx, names);
  const missing = unfound(names, found);
  if (missing.length === 0) return found;
  const { rows: made } = await trx.raw<{ rows: Array<{ name: string; id: string }> }>(
    `INSERT INTO organisations (name, type, owner_id, created_by)
     SELECT n, 'other', ?::uuid, ?::uuid FROM unnest(?::text[]) AS n
     RETURNING lower(name) AS name, id`,
    [owner, owner, missing],
  );
  return [...found, ...made];
}
