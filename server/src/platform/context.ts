import type { HttpRequest } from '../http/types';
import { requirePrincipal } from './access';
import type { Reach } from './permissions';
import type { Principal } from './principal';

/** What a service needs to know about the request it serves: who, how far, and its id. */
export interface RequestContext {
  principal: Principal;
  /** The reach `can()` granted; `all` on routes without a permission. */
  reach: Reach;
  requestId: string;
}

export function contextOf(req: HttpRequest): RequestContext {
  return { principal: requirePrincipal(req), reach: req.reach ?? 'all', requestId: String(req.id) };
}
