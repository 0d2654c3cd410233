/**
 * The process configuration: the only place that reads `process.env`.
 *
 * Every key has a description and a default, so `.env.example` and `docs/operations.md` can be
 * checked against {@link configSpec}. A wrong value stops boot with one line that names the
 * variable and the fix ({@link ConfigError}).
 */
import { createPublicKey } from 'node:crypto';
import { bool, cleanEnv, makeValidator, port, str } from 'envalid';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalUrl = makeValidator<string>((input) => {
  if (input === '') return '';
  try {
    new URL(input);
    return input;
  } catch {
    throw new Error(`"${input}" is not a URL`);
  }
});

const originList = makeValidator<string[]>((input) => {
  const origins = input
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`"${origin}" is not an origin like https://intranet.example.com`);
    }
    if (parsed.origin !== origin)
      throw new Error(`"${origin}" is not an origin (write it as ${parsed.origin})`);
  }
  return origins;
});

const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size like `512kb` or `1mb`, as a number of bytes. */
const byteSize = makeValidator<number>((input) => {
  const size = /^(\d+)(b|kb|mb)$/i.exec(String(input));
  if (!size) throw new Error(`"${input}" is not a size like 512kb or 1mb`);
  return Number(size[1]) * BYTES_PER_UNIT[size[2]!.toLowerCase()]!;
});

const webhookSecrets = makeValidator<string[]>((input) => {
  const secrets = input
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of secrets) {
    const key = entry.replace(/^whsec_/, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 16)
      throw new Error('each secret must be whsec_ followed by base64 of at least 16 bytes');
  }
  return secrets;
});

const sendgridKey = makeValidator<string>((input) => {
  if (input === '') return '';
  try {
    createPublicKey({ key: Buffer.from(input, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('is not a base64 public key as SendGrid shows it');
  }
  return input;
});

const credential = makeValidator<string>((input) => {
  if (input !== '' && !/^[^:\s]+:\S{12,}$/.test(input))
    throw new Error('must be user:password with a password of 12+ characters');
  return input;
});

const secret = makeValidator<string>((input) => {
  if (input !== '' && input.length < 32) throw new Error('must be at least 32 characters long');
  return input;
});

const positiveInt = (spec: { default: number; desc: string; example: string }) =>
  makeValidator<number>((input) => {
    const value = Number(input);
    if (!Number.isInteger(value) || value < 1) throw new Error(`"${input}" is not a positive whole number`);
    return value;
  })(spec);

const wholeNumber = (spec: { default: number; desc: string; example: string }) =>
  makeValidator<number>((input) => {
    const value = Number(input);
    if (!Number.isInteger(value) || value < 0) throw new Error(`"${input}" is not a whole number`);
    return value;
  })(spec);

const optionalEmail = makeValidator<string>((input) => {
  if (input !== '' && !/^[^@\s]+@[^@\s]+$/.test(input)) throw new Error(`"${input}" is not an email address`);
  return input.toLowerCase();
});

const optionalPassword = makeValidator<string>((input) => {
  if (input !== '' && input.length < 12) throw new Error('must be at least 12 characters long');
  return input;
});

const nonNegativeInt = (spec: { default: number; desc: string; example: string }) =>
  makeValidator<number>((input) => {
    const value = Number(input);
    if (!Number.isInteger(value) || value < 0) throw new Error(`"${input}" is not a whole number ≥ 0`);
    return value;
  })(spec);

const portOrZero = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`"${input}" is not a port (0–65535)`);
  return value;
});

/** The schema of the environment: key → validator with description, default and example. */
export const configSpec = {
  NODE_ENV: str({
    choices: ['development', 'test', 'production'],
    default: 'development',
    desc: 'Runtime environment; production disables demo data and requires JWT_SECRET.',
    example: 'production',
  }),
  HOST: str({
    default: '127.0.0.1',
    desc: 'Interface the HTTP server binds to (0.0.0.0 in containers).',
    example: '0.0.0.0',
  }),
  PORT: port({ default: 3000, desc: 'HTTP port of the API.', example: '3000' }),
  PUBLIC_URL: optionalUrl({
    default: '',
    desc: 'Public base URL of the API, used in printed links; defaults to http://HOST:PORT.',
    example: 'https://relais.intranet.example.com',
  }),
  DATABASE_URL: optionalUrl({
    default: '',
    desc: 'PostgreSQL connection string. When empty, an embedded PostgreSQL is started in RELAIS_DATA_DIR.',
    example: 'postgres://relais:secret@127.0.0.1:5432/relais',
  }),
  DATABASE_POOL_MAX: positiveInt({
    default: 10,
    desc: 'Maximum connections in the database pool of each process.',
    example: '10',
  }),
  REDIS_URL: optionalUrl({
    default: '',
    desc: 'Redis connection string. Optional: without it cache and events stay in-process (one instance only).',
    example: 'redis://127.0.0.1:6379',
  }),
  REDIS_PREFIX: str({
    default: 'relais',
    desc: 'Prefix of every Redis key and channel; give each deployment sharing one Redis its own.',
    example: 'relais-staging',
  }),
  CACHE_TTL_SECONDS: wholeNumber({
    default: 300,
    desc: 'Longest time a cached read is kept; writes invalidate entries at once regardless. 0 turns the read cache off.',
    example: '300',
  }),
  CACHE_TIMEOUT_MS: positiveInt({
    default: 50,
    desc: 'Deadline of a cache call to Redis; past it the request is served uncached.',
    example: '50',
  }),
  REALTIME_HEARTBEAT_SECONDS: positiveInt({
    default: 15,
    desc: 'Seconds between keep-alives on open realtime connections (SSE comments, WebSocket pings).',
    example: '15',
  }),
  SMTP_URL: optionalUrl({
    default: '',
    desc: 'SMTP server for reminder emails (smtp:// or smtps://user:password@host:port); unset sends none.',
    example: 'smtps://relais:secret@smtp.example.com:465',
  }),
  MAIL_FROM: str({
    default: 'Relais <relais@localhost>',
    desc: 'Sender of reminder emails.',
    example: 'Relais <crm@example.com>',
  }),
  SENTRY_DSN: optionalUrl({
    default: '',
    desc: 'Sentry DSN for error monitoring; off when empty.',
    example: 'https://key@sentry.example.com/1',
  }),
  RELAIS_RELEASE: str({
    default: 'relais@0.1.0',
    desc: 'Release name reported to Sentry with each error.',
    example: 'relais@1.4.2',
  }),
  LOG_LEVEL: str({
    choices: [...LOG_LEVELS],
    default: 'info',
    desc: 'Minimum level of the JSON logs.',
    example: 'debug',
  }),
  JWT_SECRET: secret({
    default: '',
    desc: 'HS256 secret for access tokens (32+ characters). Generated and kept in RELAIS_DATA_DIR when empty outside production.',
    example: 'a-long-random-string-of-at-least-32-characters',
  }),
  JWT_ISSUER: str({
    default: 'relais',
    desc: 'Issuer (iss) of the access and embed tokens this server signs and accepts.',
    example: 'relais-prod',
  }),
  JWT_TTL_SECONDS: positiveInt({
    default: 86_400,
    desc: 'Lifetime of an access token from POST /v1/auth/login, in seconds.',
    example: '28800',
  }),
  EMBED_TOKEN_TTL_SECONDS: positiveInt({
    default: 900,
    desc: 'Default lifetime of an embed token, in seconds (a request may ask for up to 3600).',
    example: '900',
  }),
  RELAIS_ADMIN_EMAIL: optionalEmail({
    default: '',
    desc: 'Email of an admin created at start when no user has it (with RELAIS_ADMIN_PASSWORD).',
    example: 'it-admin@example.com',
  }),
  RELAIS_ADMIN_PASSWORD: optionalPassword({
    default: '',
    desc: 'Password of that admin (12+ characters); used only when the admin is created.',
    example: 'a-strong-passphrase',
  }),
  LOGIN_LIMIT_PER_ACCOUNT: positiveInt({
    default: 5,
    desc: 'Failed logins allowed per account within LOGIN_LIMIT_WINDOW_SECONDS before 429.',
    example: '5',
  }),
  LOGIN_LIMIT_PER_IP: positiveInt({
    default: 30,
    desc: 'Login attempts allowed per client IP within LOGIN_LIMIT_WINDOW_SECONDS before 429.',
    example: '30',
  }),
  LOGIN_LIMIT_WINDOW_SECONDS: positiveInt({
    default: 900,
    desc: 'Window of the login rate limits, in seconds.',
    example: '900',
  }),
  RELAIS_REMINDER_EVERY: str({
    default: '1 minute',
    desc: 'How often the reminder job looks for due next actions (an Agenda interval such as "30 seconds").',
    example: '5 seconds',
  }),
  RELAIS_REMINDER_BATCH_SIZE: positiveInt({
    default: 500,
    desc: 'Reminders claimed and sent per transaction.',
    example: '500',
  }),
  RELAIS_REMINDER_BATCH_PAUSE_MS: nonNegativeInt({
    default: 0,
    desc: 'A pause inside each reminder batch before it commits; only for failure testing.',
    example: '0',
  }),
  RELAIS_RESCORE_EVERY: str({
    default: '10 seconds',
    desc: 'How often a worker looks for requested lead-score recomputes (after a rules change).',
    example: '5 seconds',
  }),
  RELAIS_IMPORT_EVERY: str({
    default: '5 seconds',
    desc: 'How often a worker looks for CSV files sent to POST /v1/imports.',
    example: '10 seconds',
  }),
  RELAIS_JOB_PROCESS_EVERY: str({
    default: '5 seconds',
    desc: 'How often an idle worker looks for due jobs (new jobs also wake it through LISTEN/NOTIFY).',
    example: '1 second',
  }),
  RELAIS_JOB_LOCK_LIFETIME_MS: positiveInt({
    default: 60_000,
    desc: 'How long a job run keeps its lock without progress; a killed worker’s job is retried after it.',
    example: '60000',
  }),
  RELAIS_WORKER_HEARTBEAT_SECONDS: positiveInt({
    default: 10,
    desc: 'How often each worker’s job loop records that it is alive; three missed beats make it unhealthy.',
    example: '10',
  }),
  RELAIS_WORKER_STALL_EXIT_SECONDS: nonNegativeInt({
    default: 120,
    desc: 'A worker (role `worker`) whose job loop has been silent this long exits with code 70, for its supervisor to restart it; 0 never exits.',
    example: '120',
  }),
  WORKER_HEALTH_PORT: portOrZero({
    default: 3001,
    desc: 'Port of the worker role’s /health, /ready and /metrics (on HOST); 0 serves none.',
    example: '3001',
  }),
  RELAIS_NOTIFICATION_RETENTION_DAYS: positiveInt({
    default: 90,
    desc: 'Read notifications older than this are deleted by the hourly cleanup.',
    example: '90',
  }),
  BACKUP_DIR: str({
    default: '',
    desc: 'Folder for scheduled pg_dump backups (worker role); unset turns the backup job off. `npm run backup` writes there too.',
    example: '/var/backups/relais',
  }),
  BACKUP_EVERY: str({
    default: '1 day',
    desc: 'How often the worker backs the database up when BACKUP_DIR is set.',
    example: '6 hours',
  }),
  BACKUP_KEEP: positiveInt({
    default: 7,
    desc: 'How many backup files to keep; older ones are deleted after each backup.',
    example: '14',
  }),
  RELAIS_WEBHOOK_SECRET: webhookSecrets({
    default: [],
    desc: 'Standard Webhooks secrets (whsec_…) accepted by POST /v1/marketing/email/ingest, comma-separated so a secret can be rotated; none refuses every delivery.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw,whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  }),
  RELAIS_SENDGRID_PUBLIC_KEY: sendgridKey({
    default: '',
    desc: 'SendGrid Event Webhook verification key (base64, from Mail Settings → Signed Event Webhook); unset refuses SendGrid deliveries.',
    example: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…',
  }),
  RELAIS_MAILGUN_SIGNING_KEY: str({
    default: '',
    desc: 'Mailgun HTTP webhook signing key; unset refuses Mailgun deliveries.',
    example: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
  }),
  RELAIS_BREVO_CREDENTIAL: credential({
    default: '',
    desc: 'user:password that Brevo webhooks must present (basic auth in the webhook URL, or ?token=); unset refuses Brevo deliveries.',
    example: 'brevo:7c2f0d1e9a8b4c3d',
  }),
  RELAIS_POSTMARK_CREDENTIAL: credential({
    default: '',
    desc: 'user:password that Postmark webhooks must present (basic auth in the webhook URL, or ?token=); unset refuses Postmark deliveries.',
    example: 'postmark:5e4d3c2b1a0f9e8d',
  }),
  RELAIS_MAILJET_CREDENTIAL: credential({
    default: '',
    desc: 'user:password that Mailjet webhooks must present (basic auth in the webhook URL, or ?token=); unset refuses Mailjet deliveries.',
    example: 'mailjet:0f1e2d3c4b5a6978',
  }),
  INGEST_BODY_LIMIT: byteSize({
    default: 5 * 1024 * 1024,
    desc: 'Largest accepted email-webhook delivery (providers batch events).',
    example: '10mb',
  }),
  IMPORT_BODY_LIMIT: byteSize({
    default: 50 * 1024 * 1024,
    desc: 'Largest CSV file accepted by POST /v1/imports (larger files: the relais import command).',
    example: '100mb',
  }),
  RELAIS_DATA_DIR: str({
    default: '.relais',
    desc: 'Folder for local data: the embedded PostgreSQL cluster and generated secrets.',
    example: '/var/lib/relais',
  }),
  RELAIS_DEMO_DATA: bool({
    default: true,
    desc: 'Load demo data at first all-in-one start (never in production).',
    example: 'false',
  }),
  CORS_ORIGINS: originList({
    default: [],
    desc: 'Comma-separated origins allowed to call the API from a browser.',
    example: 'https://intranet.example.com,https://crm-tools.example.com',
  }),
  BODY_LIMIT: byteSize({ default: 1024 * 1024, desc: 'Largest accepted request body.', example: '512kb' }),
  TRUST_PROXY: bool({
    default: false,
    desc: 'Trust X-Forwarded-* headers (set when behind a load balancer).',
    example: 'true',
  }),
  SHUTDOWN_TIMEOUT_MS: positiveInt({
    default: 10_000,
    desc: 'How long a stopping process waits for in-flight requests before closing them.',
    example: '10000',
  }),
  EMBEDDED_POSTGRES_PORT: portOrZero({
    default: 0,
    desc: 'Port of the embedded PostgreSQL; 0 picks a free one at each start.',
    example: '54329',
  }),
};

/** A configuration value that stops boot; its message names the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Config {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly databaseUrl: string | null;
  readonly databasePoolMax: number;
  readonly redisUrl: string | null;
  readonly redisPrefix: string;
  readonly sentryDsn: string | null;
  readonly release: string;
  readonly cache: { readonly ttlSeconds: number; readonly timeoutMs: number };
  readonly realtime: { readonly heartbeatSeconds: number };
  readonly mail: { readonly smtpUrl: string | null; readonly from: string };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly jwtSecret: string | null;
  readonly jwtIssuer: string;
  readonly jwtTtlSeconds: number;
  readonly embedTokenTtlSeconds: number;
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly loginLimits: {
    readonly perAccount: number;
    readonly perIp: number;
    readonly windowSeconds: number;
  };
  readonly dataDir: string;
  /** Scheduled backups: off when `dir` is empty. */
  readonly backup: { readonly dir: string; readonly every: string; readonly keep: number };
  readonly jobs: {
    readonly processEvery: string;
    readonly lockLifetimeMs: number;
    readonly reminderEvery: string;
    readonly reminderBatchSize: number;
    readonly reminderBatchPauseMs: number;
    readonly notificationRetentionDays: number;
    readonly rescoreEvery: string;
    readonly importEvery: string;
    readonly heartbeatSeconds: number;
    readonly stallExitSeconds: number;
    readonly healthPort: number;
  };
  readonly marketing: {
    readonly webhookSecrets: readonly string[];
    readonly sendgridPublicKey: string | null;
    readonly mailgunSigningKey: string | null;
    readonly credentials: {
      readonly brevo: string | null;
      readonly postmark: string | null;
      readonly mailjet: string | null;
    };
    /** Bytes. */
    readonly bodyLimit: number;
  };
  readonly demoData: boolean;
  readonly corsOrigins: readonly string[];
  /** Bytes. */
  readonly bodyLimit: number;
  /** Bytes: the largest file `POST /v1/imports` takes. */
  readonly importBodyLimit: number;
  readonly trustProxy: boolean;
  readonly shutdownTimeoutMs: number;
  readonly embeddedPostgresPort: number;
}

/**
 * Reads and validates the configuration.
 *
 * @param source the environment to read; `process.env` by default, a plain object in tests.
 * @throws {ConfigError} on the first invalid or missing value, with a one-line message.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = cleanEnv(source, configSpec, {
    reporter: ({ errors }) => {
      const [key, error] = Object.entries(errors)[0] ?? [];
      if (!key || !error) return;
      const spec = configSpec[key as keyof typeof configSpec];
      const example = spec?.example ? ` (e.g. ${key}=${spec.example})` : '';
      const reason = error.message.replace(/\s+/g, ' ').trim();
      throw new ConfigError(`Invalid configuration: ${key} — ${reason}. ${spec?.desc ?? ''}${example}`);
    },
  });
  if (Boolean(env.RELAIS_ADMIN_EMAIL) !== Boolean(env.RELAIS_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration: RELAIS_ADMIN_EMAIL and RELAIS_ADMIN_PASSWORD — set both, or neither.',
    );
  }
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === '') {
    throw new ConfigError(
      'Invalid configuration: JWT_SECRET — required in production. Set it to a random string of 32+ characters.',
    );
  }
  const publicUrl = env.PUBLIC_URL || `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`;
  return Object.freeze({
    nodeEnv: env.NODE_ENV as Config['nodeEnv'],
    host: env.HOST,
    port: env.PORT,
    publicUrl: publicUrl.replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL || null,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX,
    sentryDsn: env.SENTRY_DSN || null,
    release: env.RELAIS_RELEASE,
    cache: Object.freeze({ ttlSeconds: env.CACHE_TTL_SECONDS, timeoutMs: env.CACHE_TIMEOUT_MS }),
    realtime: Object.freeze({ heartbeatSeconds: env.REALTIME_HEARTBEAT_SECONDS }),
    mail: Object.freeze({ smtpUrl: env.SMTP_URL || null, from: env.MAIL_FROM }),
    logLevel: env.LOG_LEVEL as Config['logLevel'],
    jwtSecret: env.JWT_SECRET || null,
    jwtIssuer: env.JWT_ISSUER,
    jwtTtlSeconds: env.JWT_TTL_SECONDS,
    embedTokenTtlSeconds: Math.min(env.EMBED_TOKEN_TTL_SECONDS, 3_600),
    admin:
      env.RELAIS_ADMIN_EMAIL && env.RELAIS_ADMIN_PASSWORD
        ? Object.freeze({ email: env.RELAIS_ADMIN_EMAIL, password: env.RELAIS_ADMIN_PASSWORD })
        : null,
    loginLimits: Object.freeze({
      perAccount: env.LOGIN_LIMIT_PER_ACCOUNT,
      perIp: env.LOGIN_LIMIT_PER_IP,
      windowSeconds: env.LOGIN_LIMIT_WINDOW_SECONDS,
    }),
    dataDir: env.RELAIS_DATA_DIR,
    backup: Object.freeze({ dir: env.BACKUP_DIR, every: env.BACKUP_EVERY, keep: env.BACKUP_KEEP }),
    jobs: Object.freeze({
      processEvery: env.RELAIS_JOB_PROCESS_EVERY,
      lockLifetimeMs: env.RELAIS_JOB_LOCK_LIFETIME_MS,
      reminderEvery: env.RELAIS_REMINDER_EVERY,
      reminderBatchSize: env.RELAIS_REMINDER_BATCH_SIZE,
      reminderBatchPauseMs: env.RELAIS_REMINDER_BATCH_PAUSE_MS,
      notificationRetentionDays: env.RELAIS_NOTIFICATION_RETENTION_DAYS,
      rescoreEvery: env.RELAIS_RESCORE_EVERY,
      importEvery: env.RELAIS_IMPORT_EVERY,
      heartbeatSeconds: env.RELAIS_WORKER_HEARTBEAT_SECONDS,
      stallExitSeconds: env.RELAIS_WORKER_STALL_EXIT_SECONDS,
      healthPort: env.WORKER_HEALTH_PORT,
    }),
    marketing: Object.freeze({
      webhookSecrets: Object.freeze([...env.RELAIS_WEBHOOK_SECRET]),
      sendgridPublicKey: env.RELAIS_SENDGRID_PUBLIC_KEY || null,
      mailgunSigningKey: env.RELAIS_MAILGUN_SIGNING_KEY || null,
      credentials: Object.freeze({
        brevo: env.RELAIS_BREVO_CREDENTIAL || null,
        postmark: env.RELAIS_POSTMARK_CREDENTIAL || null,
        mailjet: env.RELAIS_MAILJET_CREDENTIAL || null,
      }),
      bodyLimit: env.INGEST_BODY_LIMIT,
    }),
    demoData: env.RELAIS_DEMO_DATA && env.NODE_ENV !== 'production',
    corsOrigins: Object.freeze([...env.CORS_ORIGINS]),
    bodyLimit: env.BODY_LIMIT,
    importBodyLimit: env.IMPORT_BODY_LIMIT,
    trustProxy: env.TRUST_PROXY,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
  });
}
