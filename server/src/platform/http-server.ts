/**
 * Serving the app: listen, and stop gracefully — refuse new connections, let in-flight requests
 * finish within a deadline, then close whatever is left.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface HttpServerHandle {
  server: Server;
  /** `http://host:port` actually bound (port 0 resolved). */
  url: string;
  /** Stops accepting, drains in-flight requests for up to `timeoutMs`, then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

export async function startHttpServer(
  app: FastifyInstance,
  options: { host: string; port: number },
): Promise<HttpServerHandle> {
  await app.listen({ host: options.host, port: options.port });
  const server = app.server;
  // Slow clients must not hold sockets forever; keep-alive shorter than typical LB idle timeouts.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: (timeoutMs) => closeApp(app, timeoutMs),
  };
}

/** Open streams end in the app's `preClose` hook, so the drain can complete. */
async function closeApp(app: FastifyInstance, timeoutMs: number): Promise<void> {
  const server = app.server;
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  deadline.unref();
  const closing = app.close();
  server.closeIdleConnections();
  await closing;
  clearTimeout(deadline);
}
