/**
 * How long the README's first line takes to a ready server, on this machine:
 * - `npm start` on an installed checkout with unchanged sources (target ≤ 10 s);
 * - `--fresh`: a fresh clone of this repository, `npm ci && npm start` (target ≤ 90 s), the
 *   embedded PostgreSQL initialised from nothing.
 * Each run uses its own data folder and port, and stops the server (and its PostgreSQL) after.
 *
 *   npx tsx bench/start-bench.ts [--fresh]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchSection } from './bench-database';

const fresh = process.argv.includes('--fresh');
const PORT = 4321;

async function timeToReady(cwd: string, command: string, dataDir: string): Promise<number> {
  // Root runs the embedded PostgreSQL as "postgres", which must enter the folder.
  chmodSync(dataDir, 0o755);
  const started = performance.now();
  const child: ChildProcess = spawn('sh', ['-c', command], {
    cwd,
    env: {
      ...process.env,
      RELAIS_DATA_DIR: dataDir,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${PORT}/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return (performance.now() - started) / 1000;
      if (child.exitCode !== null) throw new Error(`"${command}" exited with ${child.exitCode}`);
      if (performance.now() - started > 600_000) throw new Error('not ready after 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    if (child.exitCode === null) {
      process.kill(-(child.pid ?? 0), 'SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
if (fresh) {
  const clone = mkdtempSync(path.join(os.tmpdir(), 'relais-fresh-'));
  chmodSync(clone, 0o755);
  execFileSync('git', ['clone', '-q', process.cwd(), clone]);
  try {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relais-start-bench-'));
    const seconds = await timeToReady(clone, 'npm ci --no-audit --no-fund --silent && npm start', dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    const line = `| fresh clone: \`npm ci && npm start\` to /ready ≤ 90 s | ${seconds.toFixed(1)} s (${date}, ${machine}) | ${seconds <= 90 ? 'met' : 'missed'} |`;
    process.stdout.write(`${line}\n`);
    await writeBenchSection('start-fresh', `<!-- start-fresh:start -->\n${line}\n<!-- start-fresh:end -->`);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
} else {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relais-start-bench-'));
  const first = await timeToReady(process.cwd(), 'npm start', dataDir);
  const seconds = await timeToReady(process.cwd(), 'npm start', dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  const line = `| installed checkout, unchanged sources, second start: \`npm start\` to /ready ≤ 10 s (the first, initialising the embedded PostgreSQL: ${first.toFixed(1)} s) | ${seconds.toFixed(1)} s (${date}, ${machine}) | ${seconds <= 10 ? 'met' : 'missed'} |`;
  process.stdout.write(`${line}\n`);
  await writeBenchSection('start-warm', `<!-- start-warm:start -->\n${line}\n<!-- start-warm:end -->`);
}
