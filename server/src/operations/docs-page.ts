import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Where the Redoc bundle is: copied next to the server build, or straight from node_modules in development. */
export function redocBundlePath(): string {
  const bundled = fileURLToPath(new URL('./assets/redoc.standalone.js', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
}

export const DOCS_ASSET_PATH = '/docs/assets/redoc.standalone.js';

/** The API reference page: Redoc rendering `/openapi.json`, with no asset from outside this server. */
export const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Relais API reference</title>
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <redoc spec-url="/openapi.json" hide-download-button="false" path-in-middle-panel="true"></redoc>
    <script src="${DOCS_ASSET_PATH}"></script>
  </body>
</html>
`;

/** Redoc inlines styles and runs its search in a blob: worker. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
