/**
 * A feature's routes, declared as a table the app mounts: each names its method, its path (in the
 * spec's terms once `:param` reads `{param}`), the access it requires and its handler.
 *
 *   const routes = new Routes();
 *   routes.get('/v1/people/:id', can('people', 'read'), async (req, reply) => { … });
 *
 * Handlers answer through `reply` (`reply.send`, `sendResource`) or throw an `AppError`, which the
 * app's error handler turns into a problem document.
 */
import type { RouteOperations } from '../../generated/routes';
import type { HttpReply, HttpRequest } from '../../http/types';
import type { RouteAccess, RouteDeclaration } from './access';
import type { HttpMethod } from './openapi';
import type { OperationId, PathParameters, RequestBody, RequestQuery, ResponsePayload } from './spec-types';

/** A route path in the spec's terms: `/v1/people/:id/organisations` → `/v1/people/{id}/organisations`. */
type SpecPath<P extends string> = P extends `${infer Head}:${infer Param}/${infer Rest}`
  ? `${Head}{${Param}}/${SpecPath<Rest>}`
  : P extends `${infer Head}:${infer Param}`
    ? `${Head}{${Param}}`
    : P;

/** The operation a route serves (`never` for routes outside the spec: pages, scripts). */
export type OperationAt<
  M extends HttpMethod,
  P extends string,
> = `${M} ${SpecPath<P>}` extends keyof RouteOperations ? RouteOperations[`${M} ${SpecPath<P>}`] : never;

/** A request outside the spec: parameters as strings, nothing known of its query and body. */
type UntypedRequest = Omit<HttpRequest, 'params' | 'query' | 'body'> & {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
};

/**
 * A request as the handler of operation `K` sees it, typed from the spec: its path parameters,
 * its query (validated, defaults applied) and its body (validated JSON). `RouteRequest` alone is
 * any request (for helpers that serve several routes).
 */
export type RouteRequest<K extends OperationId = never> = [K] extends [never]
  ? UntypedRequest
  : Omit<HttpRequest, 'params' | 'query' | 'body'> & {
      params: PathParameters<K>;
      query: RequestQuery<K>;
      body: RequestBody<K>;
    };

/** How the handler of operation `K` answers: `send` takes only what the spec says it responds. */
export type RouteReply<K extends OperationId = never> = HttpReply<ResponsePayload<K>>;

export type RouteHandler<K extends OperationId = never> = (
  req: RouteRequest<K>,
  reply: RouteReply<K>,
) => unknown;

/** Steps a route runs around its handler, after the app's own (authentication, validation, access). */
export interface RouteHooks {
  /** Before the handler; may answer (and so end the request) itself. */
  preHandler?(req: HttpRequest, reply: HttpReply): Promise<unknown>;
  /** Once the response is sent. */
  onResponse?(req: HttpRequest, reply: HttpReply): Promise<void>;
}

export interface RouteOptions {
  hooks?: RouteHooks[];
  /** The body stays raw bytes, whatever its content type, up to `bodyLimit` bytes. */
  rawBody?: { bodyLimit: number };
}

export interface Route extends RouteDeclaration {
  method: HttpMethod;
  access: RouteAccess;
  handler: RouteHandler<never>;
  options: RouteOptions;
}

/** Declares a route of one method; its handler is typed from the operation at that method and path. */
type Declare<M extends HttpMethod> = <P extends string>(
  path: P,
  access: RouteAccess,
  handler: RouteHandler<OperationAt<M, P>>,
  options?: RouteOptions,
) => Routes;

export class Routes {
  readonly list: Route[] = [];
  readonly get = this.declare('get');
  readonly post = this.declare('post');
  readonly put = this.declare('put');
  readonly patch = this.declare('patch');
  readonly delete = this.declare('delete');

  private declare<M extends HttpMethod>(method: M): Declare<M> {
    return (path, access, handler, options = {}) => {
      this.list.push({ method, path, access, handler: handler as RouteHandler<never>, options });
      return this;
    };
  }
}

/** A path in the spec's terms: `/v1/people/:id` → `/v1/people/{id}`. */
export function specPathOf(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** A request header's value (the first, if it was sent several times). */
export function headerOf(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** This server's origin as the request addressed it (behind a trusted proxy, as forwarded). */
export function ownOrigin(req: Pick<HttpRequest, 'protocol' | 'host'>): string {
  return `${req.protocol}://${req.host}`;
}
