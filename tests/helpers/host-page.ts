/**
 * An intranet page on another origin that embeds the Relais elements as a host would: one script
 * tag from the Relais server, a strict Content-Security-Policy, and its own backend route
 * (`/token`) minting embed tokens with the SDK. The test decides what `/token` answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  /** `http://localhost:<port>`: another origin than the API's `http://127.0.0.1:<port>`. */
  origin: string;
  /**
   * The page: `body` is its HTML inside <body>; `scripts` are extra module URLs (copies…);
   * `module: false` leaves out the Relais script tag and the page's own configuration.
   */
  url(options: { body: string; lang?: string; scripts?: string[]; module?: boolean }): string;
  /** Serves `body` at `path` on the host's origin (an app bundle). */
  serve(path: string, body: string, type?: string): void;
  /** What `/token` answers next; counts the calls. */
  setToken(mint: () => Promise<string>): void;
  readonly tokenCalls: number;
  close(): Promise<void>;
}

/** Starts the host; `useApi` then names the Relais server (whose CORS_ORIGINS needs `origin`). */
export async function startHostPage(): Promise<HostPage & { useApi(url: string): void }> {
  let apiUrl = '';
  let mint: () => Promise<string> = async () => '';
  let tokenCalls = 0;
  const pages = new Map<string, { body: string; lang: string; scripts: string[]; module: boolean }>();
  const assets = new Map<string, { body: string; type: string }>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/host.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(`await customElements.whenDefined('relais-timeline');
window.Relais.configure({
  baseUrl: ${JSON.stringify(apiUrl)},
  getToken: async () => {
    const response = await fetch('/token');
    if (!response.ok) throw new Error('token endpoint answered ' + response.status);
    return (await response.json()).token;
  },
});
window.relaisEvents = [];
for (const name of ['relais-ready', 'relais-error', 'relais-open', 'relais-action'])
  document.addEventListener(name, (event) => window.relaisEvents.push({ name, detail: event.detail }));
`);
      return;
    }
    if (url.pathname === '/token') {
      tokenCalls += 1;
      try {
        const token = await mint();
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ token }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
      return;
    }
    const asset = assets.get(url.pathname);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type });
      res.end(asset.body);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const page = pages.get(url.pathname);
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    const csp = [
      "default-src 'self'",
      `script-src 'self' ${apiUrl}`,
      `connect-src 'self' ${apiUrl}`,
      "style-src 'self'",
      "img-src 'self' data:",
    ].join('; ');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<title>Intranet</title>
<link rel="icon" href="data:,">
${page.module ? `<script type="module" src="${apiUrl}/embed/relais-elements.js"></script>` : ''}
${page.scripts.map((src) => `<script type="module" src="${src}"></script>`).join('\n')}
${page.module ? '<script type="module" src="/host.js"></script>' : ''}
</head>
<body>
<main>
${page.body}
</main>
</body>
</html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  let count = 0;
  return {
    origin,
    useApi(url) {
      apiUrl = url;
    },
    serve(path, body, type = 'text/javascript') {
      assets.set(path, { body, type });
    },
    url({ body, lang = 'en', scripts = [], module = true }) {
      count += 1;
      const path = `/page-${count}`;
      pages.set(path, { body, lang, scripts, module });
      return `${origin}${path}`;
    },
    setToken(next) {
      mint = next;
    },
    get tokenCalls() {
      return tokenCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
