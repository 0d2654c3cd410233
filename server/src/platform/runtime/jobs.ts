/**
 * Background jobs on Agenda 6 with its PostgreSQL backend: jobs live in the application's
 * database (table `agenda_jobs`, created by the backend), each run is claimed with
 * `FOR UPDATE SKIP LOCKED`, and workers are woken by LISTEN/NOTIFY. Any number of worker
 * processes may run; a worker killed mid-job loses its lock after `lockLifetimeMs` and another
 * takes the job.
 *
 * Terminology: a *definition* is what a feature declares (`<feature>-jobs.ts`); a *run* is one
 * execution; a *recurring* job has an interval and one row shared by every worker.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda, backoffStrategies, type Job } from 'agenda';
import pg from 'pg';
import type { DependencyCheck } from '../core/dependency-check';
import type { Logger } from '../core/logger';
import type { Knex } from '../data/db';
import { jobDuration, jobRuns } from './metrics';
import { captureError } from './sentry';

/** Every job of Relais: name → payload. Names and payloads are checked at compile time. */
export interface JobPayloads {
  'reminders.dispatch': Record<string, never>;
  'maintenance.cleanup': Record<string, never>;
  'maintenance.backup': Record<string, never>;
  'scoring.recompute': Record<string, never>;
  'scoring.refresh': Record<string, never>;
  'imports.run': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export interface JobContext {
  log: Logger;
  /** Extends the run's lock; long runs call it between steps so no other worker takes over. */
  touch(): Promise<void>;
}

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  /** Interval of a recurring job ('1 minute', '30 seconds', or cron). */
  every?: string;
  /** Retries after a failure, with exponential backoff from 1 s. */
  maxRetries?: number;
  run(data: JobPayloads[N], context: JobContext): Promise<unknown>;
}

export interface JobRuntimeOptions {
  connectionString: string;
  logger: Logger;
  /** How often an idle worker looks for due jobs (notifications wake it sooner). */
  processEvery: string;
  /** How long a run keeps its lock without touching it; a dead worker's job waits this long. */
  lockLifetimeMs: number;
  definitions: JobDefinition[];
  /**
   * How often the job loop records that it is alive (table `worker_heartbeats`); three missed
   * beats make this worker unhealthy. Default 10.
   */
  heartbeatSeconds?: number;
  /** Called once the loop has been silent `stallAfterSeconds` (a supervisor's cue to restart). */
  onStalled?: (silentSeconds: number) => void;
  stallAfterSeconds?: number;
}

/** Beats missed before a worker counts as unhealthy. */
const MISSED_BEATS = 3;

export class JobRuntime {
  /** This process's name among the workers: in Agenda's locks and in `worker_heartbeats`. */
  readonly name = `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  private agenda: Agenda | null = null;
  private pool: pg.Pool | null = null;
  private readonly log: Logger;
  private readonly heartbeatSeconds: number;
  private heartbeat: NodeJS.Timeout | null = null;
  private beating = false;
  private lastBeatAt = 0;
  private stalledReported = false;
  private readonly startedAt = new Date();

  constructor(private readonly options: JobRuntimeOptions) {
    this.log = options.logger.child({ component: 'jobs' });
    this.heartbeatSeconds = options.heartbeatSeconds ?? 10;
  }

  async start(): Promise<void> {
    // Our pool, so that its connections' errors are ours to hear: a connection the server ends
    // (a restart, a shutdown racing ours) must be logged, not crash the process.
    const pool = new pg.Pool({ connectionString: this.options.connectionString });
    pool.on('error', (error) => this.log.warn({ err: error.message }, 'job database connection lost'));
    this.pool = pool;
    const backend = new PostgresBackend({ pool });
    backend.notificationChannel?.on('error', (error: Error) =>
      this.log.warn({ err: error.message }, 'job notifications interrupted; reconnecting'),
    );
    const agenda = new Agenda({
      backend,
      name: this.name,
      processEvery: this.options.processEvery,
      defaultLockLifetime: this.options.lockLifetimeMs,
    });
    for (const definition of this.options.definitions) {
      agenda.define(
        definition.name,
        async (job: Job) => {
          const log = this.log.child({
            job: definition.name,
            job_id: String(job.attrs._id),
            attempt: (job.attrs.failCount ?? 0) + 1,
          });
          const stop = jobDuration.startTimer({ job: definition.name });
          try {
            await definition.run(job.attrs.data as never, { log, touch: () => job.touch() });
            jobRuns.inc({ job: definition.name, outcome: 'succeeded' });
          } catch (error) {
            jobRuns.inc({ job: definition.name, outcome: 'failed' });
            captureError(error, { job: definition.name });
            throw error;
          } finally {
            stop();
          }
        },
        {
          lockLifetime: this.options.lockLifetimeMs,
          concurrency: 1,
          ...(definition.maxRetries
            ? { backoff: backoffStrategies.exponential({ delay: 1_000, maxRetries: definition.maxRetries }) }
            : {}),
        },
      );
    }
    const started = new Map<string, number>();
    // Other workers' job states arrive as remote events without `attrs`: they are theirs to log.
    const local = (job: Job | undefined, remote?: boolean): job is Job => !remote && job?.attrs !== undefined;
    agenda.on('start', (job: Job, remote?: boolean) => {
      if (local(job, remote)) started.set(String(job.attrs._id), performance.now());
    });
    agenda.on('success', (job: Job, remote?: boolean) => {
      if (!local(job, remote)) return;
      const ms = Math.round(performance.now() - (started.get(String(job.attrs._id)) ?? performance.now()));
      this.log.info(
        { job: job.attrs.name, job_id: String(job.attrs._id), attempt: (job.attrs.failCount ?? 0) + 1, ms },
        'job run succeeded',
      );
    });
    agenda.on('fail', (error: Error, job: Job, remote?: boolean) => {
      if (!local(job, remote)) return;
      this.log.error(
        { job: job.attrs.name, job_id: String(job.attrs._id), attempt: job.attrs.failCount ?? 1, err: error },
        'job run failed',
      );
    });
    // Two workers starting together may race creating the jobs table; the loser retries.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await agenda.start();
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        this.log.warn({ err: error, attempt }, 'job worker could not start; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
    for (const definition of this.options.definitions) {
      if (definition.every) await agenda.every(definition.every, definition.name, {});
    }
    this.agenda = agenda;
    await this.beat();
    this.heartbeat = setInterval(() => this.tick(), this.heartbeatSeconds * 1_000);
    this.heartbeat.unref();
    this.log.info(
      { jobs: this.options.definitions.map((definition) => definition.name), worker: this.name },
      'job worker started',
    );
  }

  /** Seconds since the job loop last proved alive. */
  silentSeconds(): number {
    return this.lastBeatAt ? Math.floor((Date.now() - this.lastBeatAt) / 1_000) : Infinity;
  }

  /** This worker's own health, from its last heartbeat: what the worker role's `/ready` says. */
  health(): DependencyCheck {
    if (!this.agenda) return { status: 'down', detail: 'job worker not running' };
    const silent = this.silentSeconds();
    if (silent > MISSED_BEATS * this.heartbeatSeconds)
      return { status: 'down', detail: `job loop silent for ${silent} s` };
    return { status: 'ok' };
  }

  private tick(): void {
    void this.beat();
    const stallAfter = this.options.stallAfterSeconds;
    if (!stallAfter || this.stalledReported) return;
    const silent = this.silentSeconds();
    if (silent < stallAfter) return;
    this.stalledReported = true;
    this.log.fatal({ silent_seconds: silent }, 'job loop stalled');
    this.options.onStalled?.(silent);
  }

  /**
   * One heartbeat, through the job loop's own path: Agenda's processor status (which reads the
   * jobs table over the loop's pool), then this worker's row. A loop that is stopped, or whose
   * database work hangs, stops beating; a beat still pending is not stacked.
   */
  private async beat(): Promise<void> {
    const agenda = this.agenda;
    const pool = this.pool;
    if (!agenda || !pool || this.beating) return;
    this.beating = true;
    try {
      const stats = await agenda.getRunningStats();
      await pool.query(
        `INSERT INTO worker_heartbeats (name, hostname, pid, started_at, beat_at, running, queued)
         VALUES ($1, $2, $3, $4, now(), $5, $6)
         ON CONFLICT (name) DO UPDATE SET beat_at = now(), running = EXCLUDED.running, queued = EXCLUDED.queued`,
        [this.name, os.hostname(), process.pid, this.startedAt, stats.runningJobs, stats.totalQueueSizeDB],
      );
      this.lastBeatAt = Date.now();
      this.stalledReported = false;
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : error }, 'job loop heartbeat failed');
    } finally {
      this.beating = false;
    }
  }

  /** Stops taking jobs, lets running ones finish for up to `timeoutMs`, then releases locks. */
  async stop(timeoutMs: number): Promise<void> {
    const agenda = this.agenda;
    const pool = this.pool;
    this.agenda = null;
    this.pool = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (agenda) {
      const drained = await agenda.drain(timeoutMs);
      if (drained?.timedOut)
        this.log.warn(
          { running: drained.running },
          'jobs still running at shutdown; their locks are released',
        );
      await agenda.stop();
    }
    // A worker that stops says so; one that dies leaves its row to age out of `alive`.
    await pool?.query('DELETE FROM worker_heartbeats WHERE name = $1', [this.name]).catch(() => undefined);
    await pool?.end().catch(() => undefined);
  }
}

export interface RecurringJobStatus {
  name: string;
  next_run_at: Date | null;
  last_run_at: Date | null;
  last_finished_at: Date | null;
  locked_at: Date | null;
  failed_at: Date | null;
  fail_count: number;
  fail_reason: string | null;
  /** Seconds the job is behind schedule (next run due but not started); 0 when on time. */
  lag_seconds: number;
}

/** The recurring jobs as the database sees them — what every instance can report. */
export async function recurringJobs(db: Knex): Promise<RecurringJobStatus[]> {
  const exists = await db.raw("SELECT to_regclass('agenda_jobs') AS table");
  if (!exists.rows[0]?.table) return [];
  const rows = await db('agenda_jobs')
    .where({ type: 'single' })
    .orderBy('name')
    .select(
      'name',
      'next_run_at',
      'last_run_at',
      'last_finished_at',
      'locked_at',
      'failed_at',
      'fail_count',
      'fail_reason',
      db.raw('GREATEST(0, EXTRACT(EPOCH FROM now() - next_run_at))::int AS lag_seconds'),
    );
  return rows.map((row) => ({
    ...row,
    fail_count: Number(row.fail_count ?? 0),
    lag_seconds: Number(row.lag_seconds ?? 0),
  }));
}

export interface WorkerStatus {
  name: string;
  hostname: string;
  pid: number;
  started_at: Date;
  beat_at: Date;
  running: number;
  queued: number;
  alive: boolean;
}

/** Workers seen in the last day, most recent beat first; `alive` when the last beat is recent. */
export async function workerStatuses(db: Knex, heartbeatSeconds: number): Promise<WorkerStatus[]> {
  const rows = await db('worker_heartbeats')
    .where('beat_at', '>', db.raw("now() - interval '1 day'"))
    .orderBy('beat_at', 'desc')
    .select(
      'name',
      'hostname',
      'pid',
      'started_at',
      'beat_at',
      'running',
      'queued',
      db.raw('beat_at > now() - make_interval(secs => ?) AS alive', [MISSED_BEATS * heartbeatSeconds]),
    );
  return rows as WorkerStatus[];
}

/**
 * Readiness of the workers as any instance sees them: at least one worker's job loop beating,
 * and every recurring job on schedule (lag under `maxLagSeconds`).
 */
export async function checkJobs(
  db: Knex,
  { maxLagSeconds, heartbeatSeconds }: { maxLagSeconds: number; heartbeatSeconds: number },
): Promise<DependencyCheck> {
  try {
    const [jobs, workers] = await Promise.all([recurringJobs(db), workerStatuses(db, heartbeatSeconds)]);
    if (jobs.length === 0) return { status: 'down', detail: 'no job worker has started' };
    if (!workers.some((worker) => worker.alive))
      return {
        status: 'down',
        detail: `no worker heartbeat in the last ${MISSED_BEATS * heartbeatSeconds} s`,
      };
    const late = jobs.filter((job) => job.lag_seconds > maxLagSeconds);
    if (late.length)
      return {
        status: 'down',
        detail: `behind schedule: ${late.map((job) => `${job.name} (${job.lag_seconds}s)`).join(', ')}`,
      };
    return { status: 'ok' };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : 'unreadable' };
  }
}

/** Seconds in an Agenda interval such as "1 minute" or "30 seconds"; 60 for anything else (cron). */
export function intervalSeconds(interval: string): number {
  const match = /^(\d+)\s*(second|minute|hour)s?$/i.exec(interval.trim());
  if (!match) return 60;
  const unit = { second: 1, minute: 60, hour: 3_600 }[
    match[2]!.toLowerCase() as 'second' | 'minute' | 'hour'
  ];
  return Number(match[1]) * unit;
}

/** Forgets finished one-off jobs and the heartbeats of workers gone for a day; returns how many of each. */
export async function pruneJobs(db: Knex): Promise<{ jobs: number; heartbeats: number }> {
  const jobs = (await db.raw("SELECT to_regclass('agenda_jobs') AS table")).rows[0]?.table
    ? await db('agenda_jobs')
        .where({ type: 'normal' })
        .whereNull('next_run_at')
        .whereNotNull('last_finished_at')
        .whereNull('failed_at')
        .delete()
    : 0;
  const heartbeats = await db('worker_heartbeats')
    .where('beat_at', '<', db.raw("now() - interval '1 day'"))
    .delete();
  return { jobs, heartbeats };
}
