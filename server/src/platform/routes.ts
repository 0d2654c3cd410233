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
import type { HttpReply, HttpRequest } from '../http/types';
import type { RouteAccess, RouteDeclaration } from './access';
import type { HttpMethod } from './openapi';

/** A request as handlers see it: path parameters are strings, the body is validated JSON. */
export type RouteRequest = Omit<HttpRequest, 'params' | 'query' | 'body'> & {
  params: Record<string, string>;
  query: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: validated against the spec before any handler runs.
  body: any;
};

export type RouteHandler = (req: RouteRequest, reply: HttpReply) => unknown;

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
  handler: RouteHandler;
  options: RouteOptions;
}

export class Routes {
  readonly list: Route[] = [];

  get(path: string, access: RouteAccess, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.add('get', path, access, handler, options);
  }

  post(path: string, access: RouteAccess, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.add('post', path, access, handler, options);
  }

  put(path: string, access: RouteAccess, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.add('put', path, access, handler, options);
  }

  patch(path: string, access: RouteAccess, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.add('patch', path, access, handler, options);
  }

  delete(path: string, access: RouteAccess, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.add('delete', path, access, handler, options);
  }

  private add(
    method: HttpMethod,
    path: string,
    access: RouteAccess,
    handler: RouteHandler,
    options: RouteOptions,
  ): this {
    this.list.push({ method, path, access, handler, options });
    return this;
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
