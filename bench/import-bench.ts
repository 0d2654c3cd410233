/**
 * CSV import throughput: `relais import people` of a generated file (default 1,000,000 rows, each
 * with an email and one of 1,000 organisations) into an empty database, then the same file again
 * (every row matched and skipped). Wall time, rows per second and the import process's peak
 * memory (from /usr/bin/time), written to bench/README.md. A file a tenth of the size is imported
 * first (then removed), so that the peak memory of both sizes can be compared: flat memory is the
 * same peak for both.
 *
 *   npm run build && npx tsx bench/import-bench.ts [rows]
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openBenchDatabase, writeBenchSection } from './bench-database';

const ROWS = Number(process.argv[2] ?? 1_000_000);

async function writeCsv(file: string, rows = ROWS): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('Prénom;Nom;E-mail;Téléphone;Société;Fonction\n');
  for (let index = 0; index < rows; index += 1) {
    await write(
      `Camille${index};Lefèvre${index};camille.${index}@exemple.fr;01 23 ${String(index % 100).padStart(2, '0')} 45 67;Banque ${index % 1_000};Chargée d’affaires\n`,
    );
  }
  await new Promise((resolve) => out.end(resolve));
}

/** Runs the import; resolves with seconds, peak RSS (MB) and the report. */
function timedImport(
  url: string,
  file: string,
): Promise<{ seconds: number; peakMb: number; report: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'peak-rss-kb %M', process.execPath, 'server/dist/cli.js', 'import', 'people', file],
      {
        env: { ...process.env, DATABASE_URL: url, JWT_SECRET: 'import-bench-secret-long-enough-0123456789' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`import exited with ${code}: ${stderr.slice(-500)}`));
      const peakKb = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({
        seconds: (performance.now() - started) / 1_000,
        peakMb: Math.round(peakKb / 1024),
        report: JSON.parse(stdout),
      });
    });
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'relais-import-bench-'));
  const file = path.join(dir, 'people.csv');
  const small = path.join(dir, 'people-small.csv');
  await writeCsv(file);
  await writeCsv(small, ROWS / 10);
  const megabytes = Math.round((await stat(file)).size / 1024 / 1024);
  const bench = await openBenchDatabase('relais_import_bench');
  try {
    const empty = async () => {
      await bench.db.raw('TRUNCATE people, organisations, person_organisations CASCADE');
      // Words of earlier runs would make this one's search-word upkeep cheaper than an empty database's.
      await bench.db('search_words').whereIn('source', ['people', 'organisations']).delete();
    };
    await empty();
    const tenth = await timedImport(bench.url, small);
    await empty();
    const first = await timedImport(bench.url, file);
    const second = await timedImport(bench.url, file);
    const rate = (run: { seconds: number }) => Math.round(ROWS / run.seconds).toLocaleString('en');
    const section = [
      '<!-- import-bench:start -->',
      '### CSV import (`import-bench.ts`)',
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), embedded PostgreSQL with the settings above.`,
      `\`relais import people\` of ${ROWS.toLocaleString('en')} rows (${megabytes} MB, \`;\`, UTF-8, an email and one of 1,000 organisations each) into an empty database, search words and audit entries included; then the same file again.`,
      '',
      '| run | created | skipped | time | rows/s | peak memory | target |',
      '|---|---|---|---|---|---|---|',
      `| first (all new) | ${first.report.created} | ${first.report.skipped} | ${first.seconds.toFixed(1)} s | ${rate(first)} | ${first.peakMb} MB | ≥ 10,000 rows/s: ${ROWS / first.seconds >= 10_000 ? 'met' : '**missed**'} |`,
      `| second (all unchanged) | ${second.report.created} | ${second.report.skipped} | ${second.seconds.toFixed(1)} s | ${rate(second)} | ${second.peakMb} MB | |`,
      '',
      `Peak memory of a first run of ${(ROWS / 10).toLocaleString('en')} rows: ${tenth.peakMb} MB; of ${ROWS.toLocaleString('en')}: ${first.peakMb} MB (flat memory: ${first.peakMb <= tenth.peakMb * 1.2 ? 'met' : '**missed**'}).`,
      '<!-- import-bench:end -->',
    ].join('\n');
    await writeBenchSection('import-bench', section);
    process.stdout.write(`${section}\n`);
  } finally {
    await bench.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
