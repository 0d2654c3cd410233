import type { HttpRequest } from '../../http/types';
import type { RequestContext } from '../core/context';
import { requirePrincipal } from './access';

/** The context a service gets from a request that passed authentication and its route's access. */
export function contextOf(req: HttpRequest): RequestContext {
  return { principal: requirePrincipal(req), reach: req.reach ?? 'all', requestId: String(req.id) };
}
