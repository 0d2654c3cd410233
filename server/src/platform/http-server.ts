/**
 * Serving the app: listen, and stop gracefully — refuse new connections, let in-flight requests
 * finish within a deadline, then close whatever is left.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

/** What `app.locals.realtime` provides: WebSocket upgrades, and ending open streams on close. */
interface LongLivedConnections {
  handleUpgrade(app: Express, req: IncomingMessage, socket: Duplex, head: Buffer): void;
  closeAll(): void;
}

export interface HttpServerHandle {
  server: Server;
  /** `http://host:port` actually bound (port 0 resolved). */
  url: string;
  /** Stops accepting, drains in-flight requests for up to `timeoutMs`, then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

export function startHttpServer(
  app: Express,
  options: { host: string; port: number },
): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    const realtime = app.locals.realtime as LongLivedConnections | undefined;
    if (realtime) server.on('upgrade', (req, socket, head) => realtime.handleUpgrade(app, req, socket, head));
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      // Slow clients must not hold sockets forever; keep-alive shorter than typical LB idle timeouts.
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
      server.requestTimeout = 60_000;
      const { port } = server.address() as AddressInfo;
      const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
      resolve({
        server,
        url: `http://${host}:${port}`,
        close: (timeoutMs) => {
          // Open streams never finish on their own: end them so the drain can complete.
          realtime?.closeAll();
          return closeServer(server, timeoutMs);
        },
      });
    });
  });
}

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
