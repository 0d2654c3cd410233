/**
 * Imports sent through the API. `POST /v1/imports` stores the file as a row of `imports`
 * (`queued`); the `imports.run` job claims queued rows (or running ones whose worker stopped
 * beating) with SKIP LOCKED and runs the same import as the command line, recording progress after
 * every batch. When it ends the file is deleted, the counts and the error report stay, and an
 * `import.finished` event reaches the importer.
 *
 * An import taken over after a worker died runs the file again from the top: the upsert is
 * idempotent, so the records end the same; rows the first attempt had already written then count
 * as skipped (`attempts` says it happened).
 */
import { Readable, Writable } from 'node:stream';
import type { components } from '../generated/openapi';
import type { PeopleDeps } from '../people';
import type { RequestContext } from '../platform/core/context';
import { NotFoundError } from '../platform/core/errors';
import { transaction } from '../platform/data/after-commit';
import { claimNext } from '../platform/data/claims';
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import type { JobDefinition } from '../platform/runtime/jobs';
import type { OpenApiValidator } from '../platform/web/openapi';
import { ImportFileError, type ImportResource, importCsv, importerOf } from './import-service';

/** An import as `GET /v1/imports/{id}` shows it (the spec's `Import`), its times as read from the database. */
export type ImportRun = Omit<components['schemas']['Import'], 'created_at' | 'started_at' | 'finished_at'> & {
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const COLUMNS = [
  'id',
  'resource',
  'status',
  'dry_run',
  'map',
  'bytes',
  'requested_by',
  'attempts',
  'rows',
  'created',
  'updated',
  'skipped',
  'errors',
  'report',
  'failure',
  'created_at',
  'started_at',
  'finished_at',
];

export async function requestImport(
  db: Knex,
  context: RequestContext,
  input: { resource: ImportResource; file: Buffer; dryRun: boolean; map: Record<string, string> },
): Promise<ImportRun> {
  const importer = importerOf(context);
  const [row] = await db('imports')
    .insert({
      resource: input.resource,
      dry_run: input.dryRun,
      map: JSON.stringify(input.map),
      file: input.file,
      bytes: input.file.length,
      principal_type: importer.actor.type,
      principal_id: importer.actor.id,
      requested_by: importer.ownerId,
      request_id: importer.requestId,
    })
    .returning(COLUMNS);
  return row;
}

/** An import, if `context` may see it: its requester, or anyone with reach `all`. */
export async function getImport(db: Knex, context: RequestContext, id: string): Promise<ImportRun> {
  const row = await visible(db, context).where({ id }).first(COLUMNS);
  if (!row) throw new NotFoundError(`Import ${id} not found.`);
  return row;
}

export function listImports(
  db: Knex,
  context: RequestContext,
  filters: { status?: ImportRun['status']; resource?: ImportResource },
  page: { limit: number; cursor?: string },
): Promise<Page<ImportRun>> {
  const query = visible(db, context).select(COLUMNS);
  if (filters.status) query.where({ status: filters.status });
  if (filters.resource) query.where({ resource: filters.resource });
  return keysetPage<ImportRun>(query, {
    tag: 'imports:created_at:desc',
    sortColumn: 'created_at',
    sortField: 'created_at',
    idColumn: 'id',
    direction: 'desc',
    limit: page.limit,
    cursor: page.cursor,
  });
}

/** The rejected rows (`row,column,reason`), once the import has finished. */
export async function importErrors(db: Knex, context: RequestContext, id: string): Promise<string> {
  const row = await visible(db, context).where({ id }).first('error_report');
  if (!row) throw new NotFoundError(`Import ${id} not found.`);
  return row.error_report ?? 'row,column,reason\n';
}

function visible(db: Knex, context: RequestContext) {
  const query = db('imports');
  if (context.reach === 'own') {
    const userId = context.principal.kind === 'api_key' ? null : context.principal.user.id;
    query.where({ requested_by: userId });
  }
  return query;
}

/** What a worker needs of an import it claimed. */
interface ClaimedImport {
  id: string;
  resource: ImportResource;
  dry_run: boolean;
  map: Record<string, string>;
  file: Buffer;
  principal_type: string;
  principal_id: string | null;
  requested_by: string | null;
  request_id: string | null;
}
const CLAIMED_COLUMNS = [
  'id',
  'resource',
  'dry_run',
  'map',
  'file',
  'principal_type',
  'principal_id',
  'requested_by',
  'request_id',
];

export interface ImportRunOptions {
  validator: OpenApiValidator;
  /** A running import without a heartbeat for this long is taken over. */
  staleAfterMs: number;
  touch?: () => Promise<void>;
}

/** Runs every pending import; returns how many finished. */
export async function runPendingImports(deps: PeopleDeps, options: ImportRunOptions): Promise<number> {
  const { db } = deps;
  let finished = 0;
  for (;;) {
    const claimed = await transaction(db, (trx) =>
      claimNext<ClaimedImport>(trx, 'imports', {
        staleAfterMs: options.staleAfterMs,
        changes: {
          attempts: trx.raw('attempts + 1'),
          rows: 0,
          created: 0,
          updated: 0,
          skipped: 0,
          errors: 0,
        },
        returning: CLAIMED_COLUMNS,
      }),
    );
    if (!claimed) return finished;
    await runImport(deps, claimed, options);
    finished += 1;
  }
}

async function runImport(deps: PeopleDeps, run: ClaimedImport, options: ImportRunOptions): Promise<void> {
  const { db, events } = deps;
  const errorChunks: Buffer[] = [];
  const errors = new Writable({
    write(chunk: Buffer, _encoding, done) {
      errorChunks.push(chunk);
      done();
    },
  });
  let outcome: Record<string, unknown>;
  let unexpected: unknown = null;
  try {
    const report = await importCsv(deps, Readable.from([run.file]), {
      resource: run.resource,
      validator: options.validator,
      map: run.map,
      dryRun: run.dry_run,
      importer: {
        actor: { type: run.principal_type, id: run.principal_id },
        ownerId: run.requested_by,
        requestId: run.request_id,
      },
      errors,
      onBatch: async (progress) => {
        await db('imports')
          .where({ id: run.id })
          .update({ ...progress, heartbeat_at: db.fn.now() });
        await options.touch?.();
      },
    });
    outcome = {
      status: 'succeeded',
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      skipped: report.skipped,
      errors: report.errors,
      report: JSON.stringify({
        encoding: report.encoding,
        delimiter: report.delimiter,
        columns: report.columns,
        ignored_columns: report.ignored_columns,
      }),
      error_report: Buffer.concat(errorChunks).toString('utf8'),
    };
  } catch (error) {
    // A file Relais cannot read is the importer's to fix; anything else fails the job run as well.
    outcome = { status: 'failed', failure: (error as Error).message };
    if (!(error instanceof ImportFileError)) {
      outcome.failure = `the import stopped: ${(error as Error).message}`;
      unexpected = error;
    }
  }
  await transaction(db, async (trx) => {
    const [finished] = await trx('imports')
      .where({ id: run.id })
      .update({ ...outcome, file: null, finished_at: trx.fn.now(), heartbeat_at: trx.fn.now() })
      .returning(COLUMNS);
    await events.publish(trx, {
      type: 'import.finished',
      data: { ...finished },
      audience: { resource: 'imports', ...(run.requested_by ? { userIds: [run.requested_by] } : {}) },
    });
  });
  if (unexpected) throw unexpected;
}

export function importJob(
  deps: PeopleDeps,
  options: ImportRunOptions & { every: string },
): JobDefinition<'imports.run'> {
  return {
    name: 'imports.run',
    every: options.every,
    run: async (_data, context) => {
      const finished = await runPendingImports(deps, { ...options, touch: context.touch });
      if (finished > 0) context.log.info({ finished }, 'imports finished');
    },
  };
}
