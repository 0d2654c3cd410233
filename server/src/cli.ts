#!/usr/bin/env node
/**
 * `relais`: the administration command line. It reads the same configuration as the server
 * (environment, `.env` values exported, RELAIS_DATA_DIR) and works on the same database: the one
 * DATABASE_URL names, else the embedded PostgreSQL of the all-in-one start (the running one, or
 * started for the command). Every command has `--help`; a failure prints one line, `relais: …`,
 * and exits 1. Long work shows a progress bar on a terminal and plain progress lines otherwise.
 *
 * Commands that change accounts or keys act as an admin (`--as <email>`, default
 * RELAIS_ADMIN_EMAIL) and are audited under that name; the others are audited as the system.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys/api-key-service';
import { backupDatabase, restoreDatabase } from './backups';
import { type Config, loadConfig } from './config';
import { EXPORT_RESOURCES, type ExportResource, streamExport } from './exports';
import { IMPORT_RESOURCES, type ImportResource, importCsv, importerOf, parseColumnMap } from './imports';
import type { RequestContext } from './platform/core/context';
import { AppError } from './platform/core/errors';
import { createLogger, type Logger } from './platform/core/logger';
import { ROLES, type Role, SCOPES } from './platform/core/permissions';
import { createDatabase, type Knex, migrateLatest } from './platform/data/db';
import { runningEmbeddedUrl, startEmbeddedPostgres } from './platform/data/embedded-postgres';
import { ReadCache } from './platform/runtime/cache';
import { EventBus } from './platform/runtime/events';
import { closeRedis, createRedis } from './platform/runtime/redis';
import { OpenApiValidator, RequestValidationFailure } from './platform/web/openapi';
import { erasePerson, exportPersonalData } from './privacy';
import { getRecompute, requestRecompute, runPendingRecomputes } from './scoring/recompute-service';
import { type AppServices, assembleServices } from './services';
import { findUserWithHashByEmail } from './users';
import { createUser, listUsers, updateUser } from './users/user-service';

interface Session {
  config: Config;
  db: Knex;
  /**
   * What changes are made with: with `REDIS_URL`, the shared read cache (so the API's cached reads
   * see the change) and event stream (so its clients hear of it, and an erasure can clear it).
   */
  services: AppServices;
  databaseUrl: string;
  logger: Logger;
}

/** Opens the database for one command, runs `work`, closes everything. */
async function withDatabase<T>(work: (session: Session) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  let databaseUrl = config.databaseUrl || (await runningEmbeddedUrl(config.dataDir, 'relais'));
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      database: 'relais',
      logger,
    });
    databaseUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const db = createDatabase({ url: databaseUrl, poolMax: 4, logger, applicationName: 'relais-cli' });
  const redis = createRedis(config.redisUrl, logger);
  // Without Redis, no one else would see this process's events or in-process cache: none are made.
  const events = redis ? new EventBus({ redis, logger, prefix: config.redisPrefix }) : undefined;
  const cache = redis
    ? new ReadCache({ redis, logger, prefix: config.redisPrefix, ...config.cache })
    : undefined;
  const services = assembleServices(db, { events, cache });
  try {
    await events?.start();
    await migrateLatest(db);
    return await work({ config, db, services, databaseUrl, logger });
  } finally {
    await events?.close();
    await closeRedis(redis);
    await db.destroy();
    await stopEmbedded?.();
  }
}

/** As `actingAs` when an admin is named; else null, the system (audited as such). */
async function actingAsOrSystem(db: Knex, email: string | undefined): Promise<RequestContext | null> {
  return email ? actingAs(db, email) : null;
}

/** The context of a change made as `email` (an active admin). */
async function actingAs(db: Knex, email: string | undefined): Promise<RequestContext> {
  if (!email) throw new Error('name the admin this acts as: --as <email> (or set RELAIS_ADMIN_EMAIL)');
  const user = await findUserWithHashByEmail(db, email);
  if (!user?.active || user.role !== 'admin') throw new Error(`${email} is not an active admin`);
  return {
    principal: {
      kind: 'user',
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        active: user.active,
        time_zone: user.time_zone,
      },
    },
    reach: 'all',
    requestId: `cli-${randomUUID()}`,
  };
}

/** A person by id or email. */
async function personId(db: Knex, idOrEmail: string): Promise<string> {
  const row = idOrEmail.includes('@')
    ? await db('people').where({ email: idOrEmail }).first('id')
    : /^[0-9a-f-]{36}$/i.test(idOrEmail)
      ? await db('people').where({ id: idOrEmail }).first('id')
      : undefined;
  if (!row) throw new Error(`no person ${idOrEmail}`);
  return row.id;
}

/** Progress for long work: a bar with rate and ETA on a terminal, a line every second otherwise. */
function progress(label: string, total?: number) {
  const started = Date.now();
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: total
        ? `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`
        : `${label} {value} | {rate}/s | {duration_formatted}`,
      hideCursor: true,
    });
    bar.start(total ?? 0, 0, { rate: 0 });
    return {
      update: (done: number) =>
        bar.update(done, { rate: Math.round(done / Math.max((Date.now() - started) / 1_000, 0.001)) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  const line = (done: number) => {
    const seconds = (Date.now() - started) / 1_000;
    const rate = Math.round(done / Math.max(seconds, 0.001));
    const share = total ? ` of ${total} (${Math.floor((done / total) * 100)}%)` : '';
    process.stderr.write(`${label}: ${done}${share}, ${rate}/s, ${seconds.toFixed(1)} s\n`);
  };
  return {
    update: (done: number) => {
      if (Date.now() - last < 1_000) return;
      last = Date.now();
      line(done);
    },
    stop: (done?: number) => {
      if (done !== undefined) line(done);
    },
  };
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

function outputTo(file: string | undefined): Writable {
  return file ? createWriteStream(path.resolve(file)) : process.stdout;
}

const roleOption = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return value as Role;
};
const mapOption = (value: string): Record<string, string> => {
  try {
    return parseColumnMap(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const scopesOption = (value: string): string[] => {
  const scopes = value.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !SCOPES.includes(scope));
  if (unknown.length)
    throw new InvalidArgumentError(`unknown scopes ${unknown.join(', ')} (see docs/permissions.md)`);
  return scopes;
};

export function program(): Command {
  const cli = new Command('relais')
    .description('Administer Relais: accounts, keys, exports, personal data, scores, the database.')
    .showHelpAfterError('(relais --help lists the commands)')
    .configureOutput({ outputError: (text, write) => write(text) });
  const asOption = ['--as <email>', 'the admin this acts as (default RELAIS_ADMIN_EMAIL)'] as const;
  const actor = (options: { as?: string }, config: Config) => options.as ?? config.admin?.email;

  const users = cli.command('users').description('Staff accounts.');
  users
    .command('list')
    .description('List the accounts (email, name, role, active).')
    .option('--json', 'one JSON document instead of a table')
    .action((options: { json?: boolean }) =>
      withDatabase(async ({ db }) => {
        const rows = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(db, {}, { limit: 200, cursor });
          rows.push(...page.data);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        if (options.json) return print(rows);
        for (const user of rows)
          print(`${user.email}\t${user.name}\t${user.role}\t${user.active ? 'active' : 'deactivated'}`);
      }),
    );
  users
    .command('create')
    .description('Create an account; without --password, one is generated and printed once.')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, roleOption)
    .option('--password <password>', 'at least 12 characters')
    .option(...asOption)
    .action((options: { email: string; name: string; role: Role; password?: string; as?: string }) =>
      withDatabase(async ({ db, config }) => {
        const password = options.password ?? randomBytes(12).toString('base64url');
        const context = await actingAsOrSystem(db, actor(options, config));
        const user = await createUser(db, context, {
          email: options.email,
          name: options.name,
          role: options.role,
          password,
        });
        print(`Created ${user.email} (${user.role}), id ${user.id}.`);
        if (!options.password) print(`Password (shown once): ${password}`);
      }),
    );
  users
    .command('deactivate <email>')
    .description('Deactivate an account: its sessions and API keys stop at once.')
    .option(...asOption)
    .action((email: string, options: { as?: string }) =>
      withDatabase(async ({ db, services, config }) => {
        const context = await actingAs(db, actor(options, config));
        const user = await findUserWithHashByEmail(db, email);
        if (!user) throw new Error(`no account ${email}`);
        await updateUser(services, context, user.id, { active: false });
        print(`Deactivated ${email}.`);
      }),
    );

  const keys = cli.command('api-keys').description('Applications’ API keys.');
  keys
    .command('list')
    .description('List the keys (id, name, prefix, scopes, revoked).')
    .action(() =>
      withDatabase(async ({ db }) => {
        const page = await listApiKeys(db, {}, { limit: 200 });
        for (const key of page.data)
          print(
            `${key.id}\t${key.name}\t${key.prefix}…\t${key.scopes.join(',')}\t${key.revoked_at ? 'revoked' : 'live'}`,
          );
      }),
    );
  keys
    .command('create')
    .description('Create a key; its secret is printed once.')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--scopes <scopes>', 'comma-separated resource:action pairs', scopesOption)
    .option(...asOption)
    .action((options: { name: string; scopes: string[]; as?: string }) =>
      withDatabase(async ({ db, config }) => {
        const created = await createApiKey(db, await actingAs(db, actor(options, config)), {
          name: options.name,
          scopes: options.scopes,
        });
        print(`Created key ${created.id} (${created.scopes.join(', ')}).`);
        print(`Secret (shown once): ${created.key}`);
      }),
    );
  keys
    .command('revoke <id>')
    .description('Revoke a key at once.')
    .option(...asOption)
    .action((id: string, options: { as?: string }) =>
      withDatabase(async ({ db, config }) => {
        await revokeApiKey(db, await actingAs(db, actor(options, config)), id);
        print(`Revoked ${id}.`);
      }),
    );

  cli
    .command('export <resource>')
    .description(`Export ${EXPORT_RESOURCES.join(', ')} as CSV or JSON Lines (to stdout or --output).`)
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--excel', 'CSV for Excel: ; separator, CRLF, byte-order mark')
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--updated-since <time>', 'records changed at or after this ISO time')
    .option('--include-archived', 'include archived people and organisations')
    .action(
      (
        resource: string,
        options: {
          format: string;
          excel?: boolean;
          output?: string;
          updatedSince?: string;
          includeArchived?: boolean;
        },
      ) => {
        if (!(EXPORT_RESOURCES as readonly string[]).includes(resource))
          throw new Error(`cannot export "${resource}": one of ${EXPORT_RESOURCES.join(', ')}`);
        if (options.format !== 'csv' && options.format !== 'jsonl')
          throw new Error(`--format is csv or jsonl, not "${options.format}"`);
        return withDatabase(async ({ db }) => {
          const bar = progress(`export ${resource}`);
          const filters = {
            ...(options.updatedSince ? { updated_since: options.updatedSince } : {}),
            ...(options.includeArchived ? { include_archived: true } : {}),
          };
          const rows = await streamExport(
            db,
            resource as ExportResource,
            {
              format: options.format as 'csv' | 'jsonl',
              excel: options.excel,
              filters,
              onProgress: bar.update,
            },
            outputTo(options.output),
          );
          bar.stop(rows);
          process.stderr.write(`Exported ${rows} ${resource}.\n`);
        });
      },
    );

  cli
    .command('import <resource> <file>')
    .description(
      `Import ${IMPORT_RESOURCES.join(' or ')} from a CSV file (UTF-8 or Windows-1252, ; or ,): created, updated, skipped, errors.`,
    )
    .option(
      '--map <pairs>',
      'header=field pairs, comma-separated, e.g. "Nom=last_name,Société=organisation"',
      mapOption,
    )
    .option('--dry-run', 'report what would be created, updated and skipped, writing nothing')
    .option('--errors <file>', 'where the rejected rows go (row,column,reason); default <file>.errors.csv')
    .option(...asOption)
    .action(
      (
        resource: string,
        file: string,
        options: { map?: Record<string, string>; dryRun?: boolean; errors?: string; as?: string },
      ) => {
        if (!(IMPORT_RESOURCES as readonly string[]).includes(resource))
          throw new Error(`cannot import "${resource}": one of ${IMPORT_RESOURCES.join(', ')}`);
        return withDatabase(async ({ db, services, config, logger }) => {
          const size = (await stat(file).catch(() => null))?.size;
          if (size === undefined) throw new Error(`no file ${file}`);
          const context = await actingAsOrSystem(db, actor(options, config));
          const errorsFile = options.errors ?? `${file.replace(/\.csv$/i, '')}.errors.csv`;
          const bar = progress(`import ${resource}`);
          const report = await importCsv(services, createReadStream(file), {
            resource: resource as ImportResource,
            validator: new OpenApiValidator(),
            map: options.map,
            dryRun: options.dryRun,
            importer: importerOf(context),
            errors: createWriteStream(errorsFile),
            onProgress: bar.update,
          });
          bar.stop(report.rows);
          logger.debug({ report }, 'import done');
          print(report);
          process.stderr.write(
            `${report.dry_run ? 'Dry run: would have ' : ''}${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.errors} error${report.errors === 1 ? '' : 's'}${report.errors ? ` (in ${errorsFile})` : ''}.\n`,
          );
        });
      },
    );

  const person = cli.command('person').description('A contact’s personal data (GDPR).');
  person
    .command('export <idOrEmail>')
    .description('Everything held on a person, as one JSON document (audited).')
    .option('--output <file>', 'write to this file instead of stdout')
    .option(...asOption)
    .action((idOrEmail: string, options: { output?: string; as?: string }) =>
      withDatabase(async ({ db, config }) => {
        const context = await actingAs(db, actor(options, config));
        const document = await exportPersonalData(db, context, await personId(db, idOrEmail));
        const out = outputTo(options.output);
        await new Promise<void>((resolve, reject) =>
          out.write(`${JSON.stringify(document, null, 2)}\n`, (error) => (error ? reject(error) : resolve())),
        );
        if (options.output) await new Promise((resolve) => out.end(resolve));
      }),
    );
  person
    .command('erase <idOrEmail>')
    .description('Erase a person for good (GDPR Art. 17); see docs/personal-data.md.')
    .option('--yes', 'confirm: the erasure cannot be undone')
    .option(...asOption)
    .action((idOrEmail: string, options: { yes?: boolean; as?: string }) =>
      withDatabase(async ({ db, services, config, logger }) => {
        if (!options.yes) throw new Error('an erasure cannot be undone: add --yes to confirm');
        const id = await personId(db, idOrEmail);
        const context = await actingAsOrSystem(db, actor(options, config));
        const result = await erasePerson(services, context, id, { confirm: id, logger });
        print(result);
      }),
    );

  const scores = cli.command('scores').description('Lead scores.');
  scores
    .command('recompute')
    .description('Rescore everyone on the current rules, following the job’s progress.')
    .option('--here', 'run the recompute in this process instead of waiting for a worker')
    .action((options: { here?: boolean }) =>
      withDatabase(async ({ db, services, config }) => {
        const requested = await requestRecompute(db, null);
        const bar = progress('recompute');
        const running = options.here
          ? runPendingRecomputes(services, { batchSize: 500, staleAfterMs: config.jobs.lockLifetimeMs })
          : undefined;
        await followRecompute(db, requested.id, bar, running);
      }),
    );

  cli
    .command('migrate')
    .description('Apply pending database migrations.')
    .action(() => withDatabase(async () => print('Migrations applied.')));
  cli
    .command('backup')
    .description('Write a pg_dump backup into BACKUP_DIR now.')
    .action(() =>
      withDatabase(async ({ db, config, databaseUrl }) => {
        if (!config.backup.dir) throw new Error('set BACKUP_DIR to the folder the backup goes to');
        const entry = await backupDatabase(db, {
          databaseUrl,
          dir: config.backup.dir,
          keep: config.backup.keep,
        });
        print(
          `Backed up to ${path.join(config.backup.dir, entry.file)} (${entry.bytes} bytes, sha256 ${entry.sha256}).`,
        );
      }),
    );
  cli
    .command('restore <file>')
    .description('Restore a backup into an empty database (or over one, with --force).')
    .option('--force', 'restore over a database that holds data')
    .action((file: string, options: { force?: boolean }) => restore(file, options.force ?? false));
  return cli;
}

/** Restores before any migration: into an empty database. */
async function restore(file: string, force: boolean): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ ...config, logLevel: 'warn' });
  const databaseUrl = config.databaseUrl || (await runningEmbeddedUrl(config.dataDir, 'relais'));
  if (!databaseUrl) throw new Error('set DATABASE_URL, or start Relais so that its embedded database runs');
  const db = createDatabase({ url: databaseUrl, poolMax: 2, logger, applicationName: 'relais-cli' });
  try {
    const restored = await restoreDatabase(db, { databaseUrl, file: path.resolve(file), force });
    print(`Restored ${file}: ${restored.tables} tables.`);
  } finally {
    await db.destroy();
  }
}

async function followRecompute(
  db: Knex,
  id: string,
  bar: ReturnType<typeof progress>,
  running?: Promise<number>,
): Promise<void> {
  let failure: unknown = null;
  running?.catch((error: unknown) => {
    failure = error;
  });
  for (;;) {
    if (failure) throw failure;
    const recompute = await getRecompute(db, id);
    if (recompute.people_total) bar.update(recompute.people_done ?? 0);
    if (recompute.status === 'succeeded' || recompute.status === 'failed') {
      bar.stop(recompute.people_done ?? 0);
      if (recompute.status === 'failed') throw new Error(`recompute failed: ${recompute.error}`);
      process.stderr.write(
        `Rescored ${recompute.people_done} people on rules v${recompute.rules_version}.\n`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** One line for any failure: the reason, and the fields for a validation error. */
function reasonOf(error: unknown): string {
  if (error instanceof RequestValidationFailure) return error.message;
  if (error instanceof AppError) {
    const fields = error.errors?.map((field) => `${field.field} ${field.message}`).join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

// Exits explicitly: the embedded database's exit hooks would otherwise end the process with 0.
program()
  .parseAsync(process.argv)
  .then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`relais: ${reasonOf(error).replace(/\s+/g, ' ').trim()}\n`);
      process.exit(1);
    },
  );
