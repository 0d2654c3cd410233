import type { Reach } from './permissions';
import type { Principal } from './principal';

/**
 * What a service needs to know about the request it serves: who, how far, and its id. Built from
 * a request by `web/context-of.ts`, or by the command line and jobs for their own work.
 */
export interface RequestContext {
  principal: Principal;
  /** The reach `can()` granted; `all` on routes without a permission. */
  reach: Reach;
  requestId: string;
}
