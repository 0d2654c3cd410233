/**
 * One owner per table (migrations/owners.ts): the server's SQL names a table only in its owner's
 * folder, or in a folder the list names as a reader or a writer. Tables are found in SQL as Knex
 * writes them (`db('people')`, `.join('people as p', …)`, a helper taking `(db, 'people', …)`) and
 * as SQL text (`FROM people`, `INSERT INTO people`, …). A table name held in a variable
 * (`INSERT INTO ${table}`) is not seen: such code must be listed by hand.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS, WRITES_EVERY_TABLE } from '../../migrations/owners';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(ROOT, 'server/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'generated' ? [] : sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

/** The feature a server file belongs to: its folder under server/src (a root file: its name). */
function featureOf(file: string): string {
  const [first, ...rest] = path.relative(SERVER, file).split(path.sep);
  return rest.length ? first! : path.basename(first!, '.ts');
}

/** Tables the migrations create. */
function migratedTables(): string[] {
  return readdirSync(path.join(ROOT, 'migrations'))
    .filter((name) => /^\d{4}-.*\.ts$/.test(name))
    .flatMap((name) => {
      const text = readFileSync(path.join(ROOT, 'migrations', name), 'utf8');
      return [
        ...text.matchAll(/createTable\('(\w+)'/g),
        ...text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g),
      ].map((match) => match[1]!);
    });
}

/** How `text` uses each table it names: read, or written. */
function tableUses(text: string, tables: readonly string[]): Map<string, 'read' | 'write'> {
  const uses = new Map<string, 'read' | 'write'>();
  const note = (table: string, use: 'read' | 'write') => {
    if (uses.get(table) !== 'write') uses.set(table, use);
  };
  const names = tables.join('|');
  const alias = String.raw`(?:\s+as\s+\w+)?`;
  // Knex: db('people') … up to the end of the statement.
  for (const match of text.matchAll(
    new RegExp(String.raw`(?<![.\w])\w+\(\s*'(${names})${alias}'\s*\)([^;]*)`, 'g'),
  ))
    note(
      match[1]!,
      /\.(insert|update|del|delete|increment|decrement|truncate)\(/.test(match[2]!) ? 'write' : 'read',
    );
  // Knex: .from('people'), .join('people as p', …).
  for (const match of text.matchAll(
    new RegExp(
      String.raw`\.(?:from|into|table|join|leftJoin|innerJoin|rightJoin|fullOuterJoin)\(\s*'(${names})${alias}'`,
      'g',
    ),
  ))
    note(match[1]!, 'read');
  // A helper given the table: updateRowById(db, 'interactions', …), insertReturningIds(db, 'people', …).
  for (const match of text.matchAll(new RegExp(String.raw`\b(\w+)\(\s*\w+,\s*'(${names})'\s*,`, 'g')))
    note(match[2]!, /^(insert|update|delete|upsert)/i.test(match[1]!) ? 'write' : 'read');
  // SQL text.
  for (const match of text.matchAll(
    new RegExp(String.raw`\b(INSERT INTO|UPDATE|DELETE FROM|TRUNCATE)\s+(${names})\b`, 'g'),
  ))
    note(match[2]!, 'write');
  for (const match of text.matchAll(new RegExp(String.raw`\b(?:FROM|JOIN)\s+(${names})\b`, 'g')))
    note(match[1]!, 'read');
  return uses;
}

describe('table owners', () => {
  const tables = migratedTables();

  it('name an owner for every table of the migrations, and only for those', () => {
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual([...new Set(tables)].sort());
  });

  it('let a feature name another feature’s table only where the list says so, and say nothing more', () => {
    const found = new Map<string, Map<string, 'read' | 'write'>>();
    for (const file of sources(SERVER)) {
      const feature = featureOf(file);
      for (const [table, use] of tableUses(readFileSync(file, 'utf8'), tables)) {
        const byFeature = found.get(table) ?? new Map<string, 'read' | 'write'>();
        if (byFeature.get(feature) !== 'write') byFeature.set(feature, use);
        found.set(table, byFeature);
      }
    }
    const unlisted: string[] = [];
    const unused: string[] = [];
    for (const [table, ownership] of Object.entries(TABLE_OWNERS)) {
      const uses = found.get(table) ?? new Map();
      for (const [feature, use] of uses) {
        if (feature === ownership.owner || WRITES_EVERY_TABLE[feature]) continue;
        const allowed = ownership.writers?.[feature]
          ? 'write'
          : ownership.readers?.includes(feature)
            ? 'read'
            : null;
        if (allowed === null || (use === 'write' && allowed === 'read'))
          unlisted.push(
            `${feature} ${use === 'write' ? 'writes' : 'reads'} ${table} (owner: ${ownership.owner})`,
          );
      }
      for (const feature of [...(ownership.readers ?? []), ...Object.keys(ownership.writers ?? {})])
        if (!uses.has(feature) && !HIDDEN.has(`${feature} ${table}`))
          unused.push(`${feature} is listed for ${table} but does not name it`);
    }
    expect(unlisted).toEqual([]);
    expect(unused).toEqual([]);
  });

  it('see a table however the SQL names it', () => {
    const uses = (text: string) =>
      Object.fromEntries(tableUses(text, ['people', 'audit_log', 'interactions']));
    expect(uses("await trx('people').where({ id }).update({ email: null });")).toEqual({ people: 'write' });
    expect(uses("db('people as p').join('audit_log as a', 'a.resource_id', 'p.id').select('p.id');")).toEqual(
      {
        people: 'read',
        audit_log: 'read',
      },
    );
    expect(uses("updateRowById(db, 'interactions', COLUMNS, id, changes)")).toEqual({
      interactions: 'write',
    });
    expect(uses('`WITH x AS (INSERT INTO audit_log (id) SELECT id FROM people) SELECT 1`')).toEqual({
      audit_log: 'write',
      people: 'read',
    });
    expect(uses("can('people', 'read'); tags.people; SELECT 1 FOR UPDATE OF t")).toEqual({});
  });
});

/** Uses the scan cannot see (the table is named through a variable), listed by hand. */
const HIDDEN = new Set(['imports people', 'imports organisations']);
