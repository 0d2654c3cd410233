import type { components } from './generated/openapi';

export type Problem = components['schemas']['Problem'];

/** An API error: the server's RFC 9457 problem document, with the HTTP status. */
export class RelaisApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'RelaisApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** The server's correlation id for this failure; quote it when reporting a problem. */
  get requestId(): string {
    return this.problem.request_id;
  }
}
