/**
 * Fills the bench database with 100,000 organisations and 1,000,000 people (each linked to an
 * organisation), generated inside PostgreSQL with generate_series in batches of 50,000.
 *
 *   npx tsx bench/load-bench-data.ts            # embedded PostgreSQL in .relais/bench
 *   BENCH_DATABASE_URL=postgres://... npx tsx bench/load-bench-data.ts
 */
import { fakerDE, fakerEN, fakerES, fakerFR, fakerIT, fakerNL, fakerPL } from '@faker-js/faker';
import type { Knex } from '../server/src/platform/data/db';
import { openBenchDatabase, progress } from './bench-database';

export const BENCH_ORGANISATIONS = 100_000;
export const BENCH_PEOPLE = 1_000_000;
const BATCH = 50_000;

// A Paris finance firm's contacts are international: names from several locales, about 6,000
// surnames, so one surname is shared by a few hundred of the million people, as in real data.
const locales = [fakerFR, fakerDE, fakerIT, fakerES, fakerEN, fakerNL, fakerPL];
const namesOf = (kind: 'first_name' | 'last_name') => [
  ...new Set(
    locales.flatMap((locale) => Object.values(locale.definitions.person[kind] ?? {}).flat() as string[]),
  ),
];
const firstNames = namesOf('first_name');
const lastNames = [...namesOf('last_name'), 'Dupré', 'Lefèvre', 'Bézier', 'Côté', 'Ménard', 'Hélie'];
const domains = Array.from({ length: 500 }, (_, index) =>
  `${fakerFR.company.name()}-${index}`.toLowerCase().replace(/[^a-z0-9]+/g, ''),
);
const words = [
  'Gestion',
  'Capital',
  'Patrimoine',
  'Finance',
  'Banque',
  'Holding',
  'Conseil',
  'Générale',
  'Société',
  'Crédit',
];

async function count(db: Knex, table: string): Promise<number> {
  return Number((await db(table).count({ n: '*' }))[0]?.n);
}

async function fill(
  db: Knex,
  label: string,
  table: string,
  total: number,
  insertBatch: (from: number, to: number) => Promise<unknown>,
) {
  const existing = await count(db, table);
  const started = Date.now();
  for (let from = existing + 1; from <= total; from += BATCH) {
    const to = Math.min(from + BATCH - 1, total);
    await insertBatch(from, to);
    progress(label, to, total, started);
  }
  if (existing >= total) process.stderr.write(`${label.padEnd(14)} already loaded (${existing})\n`);
}

export async function loadBenchData(db: Knex): Promise<void> {
  await fill(db, 'organisations', 'organisations', BENCH_ORGANISATIONS, (from, to) =>
    db.raw(
      `INSERT INTO organisations (name, type, country, category, created_at, updated_at)
       SELECT l[1 + ((i * 7919) % array_length(l, 1))::int] || ' ' || w[1 + ((i * 31) % array_length(w, 1))::int] || ' ' || i,
              (ARRAY['client','prospect','partner','supplier','other'])[1 + (i % 5)::int],
              (ARRAY['FR','FR','FR','BE','LU','CH'])[1 + (i % 6)::int],
              'Bench',
              now() - make_interval(secs => i), now() - make_interval(secs => i)
       FROM generate_series(?::bigint, ?::bigint) AS i, (SELECT ?::text[] AS l, ?::text[] AS w) AS names`,
      [from, to, lastNames, words],
    ),
  );
  await fill(db, 'people', 'people', BENCH_PEOPLE, (from, to) =>
    db.raw(
      `WITH inserted AS (
         INSERT INTO people (first_name, last_name, email, language, created_at, updated_at)
         SELECT first, last,
                lower(relais_unaccent(regexp_replace(first || '.' || last, '[^[:alpha:].]', '', 'g'))) || '.' || i || '@' ||
                  d[1 + (i % array_length(d, 1))::int] || '.example',
                'fr',
                now() - make_interval(secs => i), now() - make_interval(secs => i)
         FROM generate_series(?::bigint, ?::bigint) AS i, (SELECT ?::text[] AS f, ?::text[] AS l, ?::text[] AS d) AS names,
              LATERAL (SELECT f[1 + ((i * 7919) % array_length(f, 1))::int] AS first,
                              l[1 + ((i * 104729) % array_length(l, 1))::int] AS last) AS picked
         RETURNING id
       )
       INSERT INTO person_organisations (person_id, organisation_id, is_primary)
       SELECT inserted.id, organisation.id, true
       FROM inserted
       CROSS JOIN LATERAL (SELECT id FROM organisations OFFSET (abs(hashtext(inserted.id::text)) % 1000) LIMIT 1) AS organisation`,
      [from, to, firstNames, lastNames, domains],
    ),
  );
  // As a live table would be: visibility map and hint bits set, so reads measure reads, and
  // autovacuum does not start on the new rows in the middle of a benchmark.
  await db.raw('VACUUM (ANALYZE) organisations, people, person_organisations');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bench = await openBenchDatabase();
  const started = Date.now();
  await loadBenchData(bench.db);
  process.stderr.write(`loaded in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  await bench.close();
}
