/**
 * The web components' one-script-tag module (`sdk/dist/browser/relais-elements.js`), as the
 * server serves it: its bytes, a content hash for the long-cached URL, and its SRI integrity.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface ElementsBundle {
  code: Buffer;
  /** `relais-elements.<hash>.js`: changes with every change of the code, so it is cached for a year. */
  file: string;
  /** For `<script integrity>`: `sha384-…`. */
  integrity: string;
  version: string;
}

/** Copied next to the server build, or the SDK's own build in a checkout. */
export function elementsBundlePath(): string | null {
  const bundled = fileURLToPath(new URL('./assets/relais-elements.js', import.meta.url));
  if (existsSync(bundled)) return bundled;
  try {
    return createRequire(import.meta.url).resolve('@relais/sdk/relais-elements.js');
  } catch {
    return null;
  }
}

let loading: Promise<ElementsBundle | null> | undefined;

/** The bundle, read once; null when the SDK has not been built. */
export function elementsBundle(): Promise<ElementsBundle | null> {
  loading ??= (async () => {
    const path = elementsBundlePath();
    if (!path) return null;
    const code = await readFile(path);
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    const version = /version:"([^"]+)"/.exec(code.toString('utf8'))?.[1] ?? 'unknown';
    return {
      code,
      file: `relais-elements.${hash}.js`,
      integrity: `sha384-${createHash('sha384').update(code).digest('base64')}`,
      version,
    };
  })();
  return loading;
}
