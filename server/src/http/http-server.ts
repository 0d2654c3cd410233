/**
 * Serving the app: listen, and stop gracefully — refuse new connections, end open streams, let
 * in-flight requests finish within a deadline, then close whatever is left.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpApp } from './app';

export interface HttpServerHandle {
  server: Server;
  /** `http://host:port` actually bound (port 0 resolved). */
  url: string;
  /** Stops accepting, drains in-flight requests for up to `timeoutMs`, then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

export async function startHttpServer(
  app: HttpApp,
  options: { host: string; port: number },
): Promise<HttpServerHandle> {
  const server = createServer(app);
  // Slow clients must not hold sockets forever; keep-alive shorter than typical LB idle timeouts.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  server.on('upgrade', (req, socket, head) => app.relais.upgrade(app, req, socket, head));
  return {
    server,
    url: await listen(server, options),
    close: async (timeoutMs) => {
      const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
      deadline.unref();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      app.relais.close();
      server.closeIdleConnections();
      await closing;
      clearTimeout(deadline);
    },
  };
}

/** Listens on `host:port` (0: any free port); resolves with the `http://host:port` bound. */
export async function listen(server: Server, options: { host: string; port: number }): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
}
