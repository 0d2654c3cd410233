/**
 * The inbox workflow: which status an interaction may move to, and who may reopen a cancelled one.
 *
 *   todo ⇄ in_progress → done → todo (reopen)
 *   todo | in_progress → cancelled, final unless someone who may update every interaction
 *   (a manager) reopens it to todo.
 */
import { ConflictError } from '../platform/core/errors';
import type { InteractionStatus } from './interaction-repository';

export const INTERACTION_TRANSITIONS: Readonly<Record<InteractionStatus, readonly InteractionStatus[]>> = {
  todo: ['in_progress', 'done', 'cancelled'],
  in_progress: ['todo', 'done', 'cancelled'],
  done: ['todo'],
  cancelled: [],
};

export function allowedMoves(from: InteractionStatus, mayReopenCancelled: boolean): InteractionStatus[] {
  if (from === 'cancelled' && mayReopenCancelled) return ['todo'];
  return [...INTERACTION_TRANSITIONS[from]];
}

/** Throws 409 naming the allowed moves when `from → to` is not one of them. */
export function assertTransition(
  from: InteractionStatus,
  to: InteractionStatus,
  mayReopenCancelled: boolean,
): void {
  if (from === to) return;
  const allowed = allowedMoves(from, mayReopenCancelled);
  if (allowed.includes(to)) return;
  const hint =
    from === 'cancelled' && !mayReopenCancelled
      ? 'only a manager can reopen it'
      : `it can become ${allowed.join(' or ')}`;
  throw new ConflictError(`A ${from} interaction cannot become ${to}; ${hint}.`, {
    extensions: { current_status: from, allowed_transitions: allowed },
  });
}

export const isOpen = (status: InteractionStatus) => status === 'todo' || status === 'in_progress';
