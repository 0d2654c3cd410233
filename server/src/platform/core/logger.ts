/**
 * JSON logs with pino. Secrets never reach a log line: credentials in headers and the usual
 * secret-bearing body fields are redacted at the logger, whatever the caller passes.
 */
import { type Logger, pino } from 'pino';
import type { Config } from '../../config';

export type { Logger };

/** Paths pino censors wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["webhook-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.access_token',
  '*.token',
  '*.secret',
  '*.api_key',
  '*.key',
  'password',
  'token',
  'secret',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'relais' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // A request and a response appear as the access log writes them, never as whole objects.
      serializers: { req: serializeRequest, res: serializeResponse },
    },
    destination,
  );
}

/**
 * The process's log destination: stdout, written asynchronously so a request never waits on a
 * write, but without holding lines back (`minLength: 0`), so logs are never late.
 */
export function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 0 });
}

interface LoggedRequest {
  id?: string;
  method?: string;
  path?: string;
  url?: string;
}

function serializeRequest(req: LoggedRequest) {
  return { id: req.id, method: req.method, path: req.path ?? req.url?.split('?')[0] };
}

function serializeResponse(res: { status?: number; statusCode?: number }) {
  return { status: res.status ?? res.statusCode };
}
