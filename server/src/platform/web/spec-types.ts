/**
 * The spec's requests as TypeScript types (from `server/src/generated/`): what a validated request
 * of each operation carries, for route handlers and the services they call.
 */
import type { operations, Writable } from '../../generated/openapi';
import type { QueryDefaults } from '../../generated/routes';

/** A spec operation's id (`getPerson`). */
export type OperationId = keyof operations;

type ParametersOf<K extends OperationId> = operations[K]['parameters'];

/** An operation's path parameters (strings, as in the URL). */
export type PathParameters<K extends OperationId> =
  NonNullable<ParametersOf<K>['path']> extends infer P ? (P extends object ? P : object) : object;

/** An operation's query parameters as validated: coerced to their types, those with a default present. */
export type RequestQuery<K extends OperationId> =
  NonNullable<ParametersOf<K>['query']> extends infer Q
    ? K extends keyof QueryDefaults
      ? Omit<Q, QueryDefaults[K] & keyof Q> & { [F in QueryDefaults[K] & keyof Q]-?: NonNullable<Q[F]> }
      : Q
    : never;

/** An operation's body as validated: JSON (read-only fields cannot be sent), or a `text/csv` file's bytes. */
export type RequestBody<K extends OperationId> = operations[K] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? Writable<B>
  : operations[K] extends { requestBody?: { content: { 'application/json': infer B } } }
    ? Writable<B> | undefined
    : operations[K] extends { requestBody?: { content: { 'text/csv': unknown } } }
      ? Buffer
      : undefined;
