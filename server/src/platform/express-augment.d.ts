import type { Logger } from 'pino';
import type { CompiledOperation, ValidatedRequest } from './openapi';
import type { Reach } from './permissions';
import type { Principal } from './principal';

declare global {
  namespace Express {
    interface Request {
      /** Correlation id, echoed as X-Request-Id. */
      id: string;
      /** Request-scoped logger (carries the request id). */
      log: Logger;
      /** The raw body bytes, kept for signature checks. */
      rawBody?: Buffer;
      /** The spec operation this request matched. */
      operation?: {
        id: string;
        pathTemplate: string;
        definition: CompiledOperation['definition'];
        pathParams: Record<string, string>;
        compiled: CompiledOperation;
      };
      /** Parameters as validated and coerced against the spec. */
      validated?: ValidatedRequest;
      /** Who is calling, set by authentication (absent on public operations). */
      principal?: Principal;
      /** How far `can()` let the principal reach for the route's permission. */
      reach?: Reach;
    }
  }
}
