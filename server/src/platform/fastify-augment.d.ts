import type { RouteAccess } from './access';
import type { Idempotency } from './idempotency';
import type { CompiledOperation, ValidatedRequest } from './openapi';
import type { Reach } from './permissions';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw body bytes, kept for signature checks and idempotency fingerprints. */
    rawBody?: Buffer;
    /** What the request's route requires of the caller (absent when no route serves it). */
    access?: RouteAccess;
    /** The spec operation this request's route serves (absent on routes outside the spec). */
    operation?: CompiledOperation;
    /** Parameters as validated and coerced against the spec. */
    validated?: ValidatedRequest;
    /** Who is calling, set by authentication (absent on public operations). */
    principal?: Principal;
    /** How far the route's permission let the principal reach. */
    reach?: Reach;
    /** The Idempotency-Key this request claimed, to store its response under. */
    idempotency?: Idempotency;
  }

  interface FastifyContextConfig {
    /** What the route requires of the caller (see `platform/access.ts`). */
    access?: RouteAccess;
    /** The spec operation the route serves. */
    operation?: CompiledOperation;
    /** The body stays raw bytes, whatever its type (signed webhooks). */
    rawBody?: boolean;
  }
}
