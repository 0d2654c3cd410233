/**
 * CSV imports through the `relais` command, on files made here the way spreadsheets make them:
 * Excel in French (`;`, Windows-1252, accents, quoted separators and line breaks), duplicates,
 * 5% bad rows, a missing column. Counts and the error file are checked exactly; a second run
 * changes nothing; a run killed midway and run again ends where an uninterrupted run does; and an
 * export imported into an empty database gives the same rows.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
const run = promisify(execFile);
const databases: TestDatabase[] = [];
let dir: string;

function env(db: TestDatabase): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: db.url,
    JWT_SECRET: 'import-test-secret-that-is-long-enough-0123456789',
  };
}

async function relais(db: TestDatabase, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: env(db),
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr, report: stdout ? JSON.parse(stdout) : null };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, report: null };
  }
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

const BAD: Record<
  number,
  { column: string; cells: Partial<Record<'first' | 'last' | 'email' | 'language', string>> }
> = {
  7: { column: 'E-mail', cells: { email: 'pas-un-email' } },
  20: { column: 'Nom', cells: { last: '' } },
  33: { column: 'E-mail', cells: { email: 'jean@' } },
  50: { column: 'Langue', cells: { language: 'français' } },
  90: { column: 'Prénom', cells: { first: '' } },
};

/** 100 people as Excel in French saves them: `;`, Windows-1252, CRLF. Row n is line n. */
function frenchExcelCsv(): Buffer {
  const lines = ['Prénom;Nom;E-mail;Téléphone;Société;Fonction;Langue;Colonne inconnue'];
  for (let row = 2; row <= 101; row += 1) {
    const bad = BAD[row]?.cells ?? {};
    const first = bad.first ?? (row % 3 === 0 ? 'Hélène' : row % 3 === 1 ? 'François' : 'Jérôme');
    const last = bad.last ?? `Lefèvre-${row}`;
    // Row 60 repeats row 3's address in capitals.
    const email = bad.email ?? (row === 60 ? 'PERSONNE.3@EXEMPLE.FR' : `personne.${row}@exemple.fr`);
    const company = row % 2 === 0 ? '"Crédit Agricole; Île-de-France"' : 'Société Générale';
    const title = row === 4 ? '"Directrice ""adjointe""\r\nfinances"' : 'Chargé d’affaires';
    lines.push(
      [
        first,
        last,
        email,
        `01 23 45 ${String(row).padStart(2, '0')} 00`,
        company,
        title,
        bad.language ?? 'fr',
        'x',
      ].join(';'),
    );
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1252');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'relais-import-'));
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
  await rm(dir, { recursive: true, force: true });
});

describe('relais import', () => {
  it('reads an Excel file in French, reports exact counts and errors, and a second run is a no-op', async () => {
    const db = await database();
    const file = path.join(dir, 'contacts.csv');
    await writeFile(file, frenchExcelCsv());

    const dry = await relais(db, ['import', 'people', file, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.report).toMatchObject({
      dry_run: true,
      rows: 100,
      created: 94,
      updated: 0,
      skipped: 0,
      errors: 6,
    });
    expect(await db.knex('people').count({ n: '*' })).toEqual([{ n: '0' }]);

    const first = await relais(db, ['import', 'people', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.report).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      columns: {
        Prénom: 'first_name',
        Nom: 'last_name',
        'E-mail': 'email',
        Téléphone: 'phone',
        Société: 'organisation',
        Fonction: 'job_title',
        Langue: 'language',
      },
      ignored_columns: ['Colonne inconnue'],
      rows: 100,
      created: 94,
      updated: 0,
      skipped: 0,
      errors: 6,
    });
    expect(first.stderr).toMatch(
      /94 created, 0 updated, 0 skipped, 6 errors \(in .*contacts\.errors\.csv\)\.\n$/,
    );
    expect(await readFile(path.join(dir, 'contacts.errors.csv'), 'utf8')).toBe(
      [
        'row,column,reason',
        '7,E-mail,must be an email address',
        '20,Nom,is required',
        '33,E-mail,must be an email address',
        '50,Langue,"must match the pattern ^[a-z]{2,3}(-[A-Z]{2})?$"',
        '60,E-mail,the same person as row 3',
        '90,Prénom,is required',
        '',
      ].join('\n'),
    );
    // Accents, quoted separators and line breaks arrive intact; organisations are created once.
    const four = await db.knex('people').where({ email: 'personne.4@exemple.fr' }).first();
    expect(four).toMatchObject({
      first_name: 'François',
      last_name: 'Lefèvre-4',
      job_title: 'Directrice "adjointe"\r\nfinances',
    });
    expect(await db.knex('organisations').orderBy('name').pluck('name')).toEqual([
      'Crédit Agricole; Île-de-France',
      'Société Générale',
    ]);
    expect(await db.knex('person_organisations').count({ n: '*' })).toEqual([{ n: '94' }]);
    expect(
      await db.knex('audit_log').where({ resource: 'people', action: 'create' }).count({ n: '*' }),
    ).toEqual([{ n: '94' }]);

    const second = await relais(db, ['import', 'people', file]);
    expect(second.report).toMatchObject({ rows: 100, created: 0, updated: 0, skipped: 94, errors: 6 });
    expect(await db.knex('people').count({ n: '*' })).toEqual([{ n: '94' }]);

    // A later file changes two phone numbers, with its own header names mapped.
    const update = path.join(dir, 'update.csv');
    await writeFile(
      update,
      'Given,Family,Mail,Mobile\nFrançois,Lefèvre-4,personne.4@exemple.fr,06 00 00 00 04\nHélène,Lefèvre-6,PERSONNE.6@exemple.fr,06 00 00 00 06\nHélène,Lefèvre-9,personne.9@exemple.fr,01 23 45 09 00\n',
    );
    const third = await relais(db, [
      'import',
      'people',
      update,
      '--map',
      'Given=first_name,Family=last_name,Mobile=phone',
    ]);
    expect(third.report).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      created: 0,
      updated: 2,
      skipped: 1,
      errors: 0,
    });
    expect((await db.knex('people').where({ email: 'personne.6@exemple.fr' }).first()).phone).toBe(
      '06 00 00 00 06',
    );
  });

  it('refuses a file without a required column, naming it and the fix', async () => {
    const db = await database();
    const file = path.join(dir, 'no-name.csv');
    await writeFile(file, 'Prénom;E-mail\nAnne;anne@exemple.fr\n');
    const refused = await relais(db, ['import', 'people', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'relais: missing required column last_name: name it in the header, or map one with --map "Header=last_name"',
    );
  });

  it('finishes a run killed midway when run again, ending where an uninterrupted run does', async () => {
    const rows = Array.from(
      { length: 30_000 },
      (_, index) => `Prénom${index},Nom${index},p${index}@exemple.fr,Banque ${index % 50}`,
    );
    const file = path.join(dir, 'large.csv');
    await writeFile(file, `first_name,last_name,email,company\n${rows.join('\n')}\n`);

    const killed = await database();
    const child: ChildProcess = spawn(process.execPath, [CLI, 'import', 'people', file], {
      env: env(killed),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Killed once some batches are in.
    await new Promise<void>((resolve) => {
      const check = setInterval(async () => {
        const counted = await killed.knex('people').count({ n: '*' });
        if (Number(counted[0]?.n) >= 3_000) {
          clearInterval(check);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = Number((await killed.knex('people').count({ n: '*' }))[0]!.n);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30_000);
    const resumed = await relais(killed, ['import', 'people', file]);
    expect(resumed.report).toMatchObject({
      rows: 30_000,
      created: 30_000 - partial,
      skipped: partial,
      errors: 0,
    });

    const straight = await database();
    expect((await relais(straight, ['import', 'people', file])).report).toMatchObject({ created: 30_000 });

    const state = (db: TestDatabase) =>
      db.knex.raw(`SELECT count(*) AS people,
                          md5(string_agg(p.first_name || '|' || p.last_name || '|' || p.email || '|' || o.name, ',' ORDER BY p.email)) AS content
                     FROM people p JOIN person_organisations po ON po.person_id = p.id JOIN organisations o ON o.id = po.organisation_id`);
    expect((await state(killed)).rows).toEqual((await state(straight)).rows);
    expect(await killed.knex('organisations').count({ n: '*' })).toEqual([{ n: '50' }]);
  });

  it('imports an export into an empty database with the same rows', async () => {
    const source = databases[0]!;
    const target = await database();
    for (const resource of ['organisations', 'people']) {
      const file = path.join(dir, `${resource}-export.csv`);
      expect((await relais(source, ['export', resource, '--output', file])).code).toBe(0);
      const imported = await relais(target, ['import', resource, file]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.report.errors).toBe(0);
    }
    const business = `SELECT p.first_name, p.last_name, p.email, p.phone, p.job_title, p.language, p.notes, o.name AS organisation
                        FROM people p
                        LEFT JOIN person_organisations po ON po.person_id = p.id AND po.is_primary
                        LEFT JOIN organisations o ON o.id = po.organisation_id ORDER BY p.email`;
    const organisations =
      'SELECT name, type, category, country, website, notes FROM organisations ORDER BY name';
    expect((await target.knex.raw(business)).rows).toEqual((await source.knex.raw(business)).rows);
    expect((await target.knex.raw(organisations)).rows).toEqual((await source.knex.raw(organisations)).rows);
  });
});
