/**
 * The spec's requests and responses as TypeScript types (from `server/src/generated/`): what a
 * validated request of each operation carries, for route handlers and the services they call, and
 * what its handler may answer.
 */
import type { components, operations, Readable, Writable } from '../../generated/openapi';
import type { QueryDefaults } from '../../generated/routes';
import type { Json } from '../core/versions';

/** A schema of the spec (`SpecSchema<'MandateType'>`), for the types services share with it. */
export type SpecSchema<N extends SpecSchemaName> = components['schemas'][N];

/** The names of the spec's schemas. */
export type SpecSchemaName = keyof components['schemas'];

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

type Responses<K extends OperationId> = operations[K]['responses'];
type SuccessStatus<K extends OperationId> = keyof Responses<K> & (200 | 201 | 202 | 204 | 206);

/** The JSON body of an operation's success responses, as a client reads it. */
export type ResponseBody<K extends OperationId> = {
  [S in SuccessStatus<K>]: Responses<K>[S] extends { content: { 'application/json': infer B } }
    ? Readable<B>
    : never;
}[SuccessStatus<K>];

/** Whether one of an operation's success responses is something else than JSON (CSV, a stream, a script). */
type SendsOtherThanJson<K extends OperationId> = true extends {
  [S in SuccessStatus<K>]: Responses<K>[S] extends { content: infer C }
    ? Exclude<keyof C, 'application/json'> extends never
      ? false
      : true
    : false;
}[SuccessStatus<K>]
  ? true
  : false;

/**
 * The values whose JSON text reads as `T`: a `Date` where the spec has a string (it serialises to
 * its ISO form), and so on down objects and arrays.
 */
export type Serialised<T> = T extends string
  ? string extends T
    ? T | Date
    : T
  : T extends readonly (infer E)[]
    ? readonly Serialised<E>[]
    : T extends object
      ? { [P in keyof T]: Serialised<T[P]> }
      : T;

/**
 * What the handler of operation `K` may send: its JSON success body (as values, or already
 * serialised with `Json`), nothing (204, 304), and raw text or bytes when the operation also
 * answers with another media type. `never` (a route outside the spec) allows anything.
 */
export type ResponsePayload<K extends OperationId> = [K] extends [never]
  ? unknown
  :
      | Serialised<ResponseBody<K>>
      | Json<Serialised<ResponseBody<K>>>
      | undefined
      | (SendsOtherThanJson<K> extends true ? string | Buffer : never);
