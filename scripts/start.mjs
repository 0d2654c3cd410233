/**
 * `npm start`: builds only when a source is newer than the build, then runs the server in this
 * process (`server/dist/main.js`, role `all` unless one is given). An unchanged checkout starts in
 * a second or two instead of rebuilding everything.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'server/src',
  'server/tsup.config.ts',
  'server/package.json',
  'sdk/src',
  'sdk/tsup.config.ts',
  'sdk/package.json',
  'sdk/scripts',
  'migrations',
  'openapi/openapi.yaml',
  'package-lock.json',
];
const OUTPUTS = ['server/dist/main.js', 'server/dist/assets/relais-elements.js', 'sdk/dist/index.js'];

/** The newest modification time under `entry` (a file or a folder), 0 when absent. */
function newest(entry) {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const child of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, child)));
  return latest;
}

const built = Math.min(...OUTPUTS.map((output) => newest(path.join(root, output)) || 0));
const changed = Math.max(...SOURCES.map((source) => newest(path.join(root, source))));
if (!built || changed > built) {
  process.stdout.write(
    built ? 'Sources changed since the last build: building…\n' : 'First start: building…\n',
  );
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
}
await import(pathToFileURL(path.join(root, 'server/dist/main.js')).href);
