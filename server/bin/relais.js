#!/usr/bin/env node
// The `relais` command (`npx relais --help`): runs the built command line, server/dist/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('relais: the server is not built yet; run `npm run build` (or `npm start`) first\n');
  process.exit(1);
}
await import(cli.href);
