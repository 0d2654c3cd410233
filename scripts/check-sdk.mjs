/**
 * The SDK's package checks, run by `npm test`:
 * - size: the core (client, errors, retries, pagination), bundled, minified and gzipped, must stay
 *   within 8 kB; the web components' one-script module (four elements, Lit and the SDK) within
 *   30 kB, and one element alone lighter still;
 * - packaging: publint (strict) and Are The Types Wrong? on the packed package.
 * Exits non-zero, naming the failure, when any check fails.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sdk = path.join(root, 'sdk');
const CORE_BUDGET = 8 * 1024;
const ELEMENTS_BUDGET = 30 * 1024;

async function gzippedSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: sdk, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const failures = [];
const core = await gzippedSize(
  "export { createRelaisClient, isRelaisError, RelaisError, paginate } from './src/index.ts';",
);
const whole = await gzippedSize("export * from './src/index.ts';");
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
console.log(`SDK core, minified + gzip: ${kb(core)} (budget ${kb(CORE_BUDGET)}); whole entry: ${kb(whole)}`);
if (core > CORE_BUDGET) failures.push(`the SDK core is ${kb(core)}, over its ${kb(CORE_BUDGET)} budget`);

// The module as the server serves it (built by `npm run build`).
const elements = gzipSync(readFileSync(path.join(sdk, 'dist/browser/relais-elements.js')), {
  level: 9,
}).length;
const alone = await gzippedSize(
  "import { define, RelaisLeadScore } from './src/elements/index.ts'; define('relais-lead-score', RelaisLeadScore);",
);
console.log(
  `Web components module, minified + gzip: ${kb(elements)} (budget ${kb(ELEMENTS_BUDGET)}); one element alone: ${kb(alone)}`,
);
if (elements > ELEMENTS_BUDGET)
  failures.push(`the web components module is ${kb(elements)}, over its ${kb(ELEMENTS_BUDGET)} budget`);
if (alone >= elements) failures.push('one element alone is not lighter than the four');

// The Custom Elements Manifest names the four elements with their events.
const manifest = JSON.parse(readFileSync(path.join(sdk, 'custom-elements.json'), 'utf8'));
const declared = new Map(
  manifest.modules.flatMap((module) =>
    (module.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName, d]),
  ),
);
for (const tag of ['relais-timeline', 'relais-inbox', 'relais-lead-score', 'relais-hot-leads']) {
  const events = (declared.get(tag)?.events ?? []).map((event) => event.name);
  if (!events.includes('relais-ready') || !events.includes('relais-error'))
    failures.push(`custom-elements.json does not describe <${tag}> and its events`);
}
console.log(`custom-elements.json: ${[...declared.keys()].join(', ')}`);

for (const [name, command, args] of [
  ['publint', 'publint', ['--strict']],
  // node16 profile: subpath exports are beyond node10 resolution. The one-script module is a
  // browser file served as is, with no types to check.
  [
    'attw',
    'attw',
    [
      '--pack',
      '.',
      '--profile',
      'node16',
      '--exclude-entrypoints',
      './relais-elements.js',
      '--format',
      'table-flipped',
    ],
  ],
]) {
  try {
    execFileSync(path.join(root, 'node_modules/.bin', command), args, { cwd: sdk, stdio: 'pipe' });
    console.log(`${name}: clean`);
  } catch (error) {
    process.stdout.write(String(error.stdout ?? ''));
    failures.push(`${name} found problems in the SDK package`);
  }
}

if (failures.length) {
  console.error(`SDK checks failed: ${failures.join('; ')}`);
  process.exit(1);
}
