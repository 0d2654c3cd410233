/**
 * Search pages, whichever way they are found: a common term from the first rows of the list's
 * order, a rare one (beyond the first SEARCH_WINDOW rows) through the trigram index, and a typo
 * through the table's close words. Each must give every match once, in the list's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/src/platform/core/permissions';
import { SEARCH_WINDOW } from '../../server/src/platform/data/pagination';
import { pruneSearchWords } from '../../server/src/platform/data/search';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUsersPerRole, type TestUser } from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;

const FILLERS = 2 * SEARCH_WINDOW;
const RARE = 30;

beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
  // Fillers sort first ("Aa…"); one in ten is a "Martin" (a common term), one in 130 a "Moyen"
  // (under a page in the first window, more beyond); the rare "Zorrino" people sort after all of
  // them, beyond the first window of the list's order.
  await app.db.knex.raw(
    `INSERT INTO people (first_name, last_name, email)
     SELECT CASE WHEN i % 10 = 0 THEN 'Martin' WHEN i % 130 = 5 THEN 'Moyen' ELSE 'Paul' END,
            'Aa' || lpad(i::text, 5, '0'), NULL
     FROM generate_series(1, ?) AS i`,
    [FILLERS],
  );
  await app.db.knex.raw(
    `INSERT INTO people (first_name, last_name) SELECT 'Zoé' || lpad(i::text, 3, '0'), 'Zorrino'
     FROM generate_series(1, ?) AS i`,
    [RARE],
  );
});
afterAll(() => app.close());

async function allPages(q: string, limit = 25): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({
      q,
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    const response: { status: number; body: { data: []; next_cursor: string | null } } = await app.request(
      'GET',
      `/v1/people?${query}`,
      { headers: users.readonly.auth },
    );
    expect(response.status).toBe(200);
    names.push(
      ...response.body.data.map(
        (person: { last_name: string; first_name: string }) => `${person.last_name} ${person.first_name}`,
      ),
    );
    cursor = response.body.next_cursor;
  } while (cursor);
  return names;
}

const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('search pages', () => {
  it('pages a common term (found in the first rows of the order) completely and in order', async () => {
    const names = await allPages('martin', 40);
    const expected = Array.from({ length: Math.floor(FILLERS / 10) }, (_, index) => {
      const number = String((index + 1) * 10).padStart(5, '0');
      return `Aa${number} Martin`;
    });
    expect(names).toEqual(expected);
  });

  it('walks further for a term that fills half a page in the first window, without sorting all matches', async () => {
    const expected = Array.from({ length: FILLERS }, (_, index) => index + 1)
      .filter((i) => i % 10 !== 0 && i % 130 === 5)
      .map((i) => `Aa${String(i).padStart(5, '0')} Moyen`);
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    app.db.knex.on('query', listener);
    const first = await app.request('GET', '/v1/people?q=moyen&limit=25', { headers: users.readonly.auth });
    app.db.knex.removeListener('query', listener);
    expect(first.body.data.map((person: { last_name: string }) => `${person.last_name} Moyen`)).toEqual(
      expected.slice(0, 25),
    );
    const searches = queries.filter((sql) => sql.includes('search_text'));
    expect(searches).toHaveLength(2);
    expect(searches.some((sql) => sql.includes('COALESCE'))).toBe(false);
    expect(await allPages('moyen', 25)).toEqual(expected);
  });

  it('pages a rare term that sorts beyond the first window, through the trigram index', async () => {
    const names = await allPages('zorrino', 25);
    expect(names).toHaveLength(RARE);
    expect(names).toEqual(sorted(names));
    expect(new Set(names).size).toBe(RARE);
  });

  it('falls back to close words for a typo, and pages them under their own cursor', async () => {
    const names = await allPages('zorino', 25);
    expect(names).toHaveLength(RARE);
    expect(names).toEqual(sorted(names));
    expect(names[0]).toBe('Zorrino Zoé001');
  });

  it('does not mix close words in when some record contains the term', async () => {
    await app.db.knex('people').insert({ first_name: 'Exact', last_name: 'Zorino' });
    expect(await allPages('zorino')).toEqual(['Zorino Exact']);
  });

  it('refuses a cursor of the other kind of search as a cursor of another list', async () => {
    const first = await app.request('GET', '/v1/people?q=martin&limit=5', { headers: users.readonly.auth });
    const response = await app.request(
      'GET',
      `/v1/people?q=martin&limit=5&sort=-name&cursor=${first.body.next_cursor}`,
      { headers: users.readonly.auth },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('cursor');
  });
});

describe('close words (a term no record contains)', () => {
  const search = async (q: string) => {
    const response = await app.request('GET', `/v1/people?q=${encodeURIComponent(q)}`, {
      headers: users.readonly.auth,
    });
    expect(response.status).toBe(200);
    return response.body.data.map(
      (person: { first_name: string; last_name: string }) => `${person.first_name} ${person.last_name}`,
    );
  };
  const create = async (body: Record<string, unknown>) => {
    const response = await app.request('POST', '/v1/people', { headers: users.user.auth, body });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };

  it('finds a word with a letter left out, from the moment the record is created', async () => {
    await create({ first_name: 'Hélène', last_name: 'Lefèvre' });
    expect(await search('lefvre')).toEqual(['Hélène Lefèvre']);
  });

  it('needs a close word for every word of the term', async () => {
    await create({ first_name: 'Gaëlle', last_name: 'Quintard' });
    expect(await search('gaele quintrd')).toEqual(['Gaëlle Quintard']);
    expect(await search('gaele xyzzyq')).toEqual([]);
  });

  it('answers an empty page when nothing resembles the term', async () => {
    const response = await app.request('GET', '/v1/people?q=qxwvjk', { headers: users.readonly.auth });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: [], next_cursor: null });
  });

  it('learns the words of an edited record, and keeps each word once', async () => {
    const person = await create({ first_name: 'Ysolde', last_name: 'Brunehaut' });
    expect(await search('brunehot')).toEqual(['Ysolde Brunehaut']);
    const renamed = await app.request('PATCH', `/v1/people/${person.id}`, {
      headers: users.user.auth,
      body: { last_name: 'Aldebrandi' },
    });
    expect(renamed.status).toBe(200);
    expect(await search('aldebrndi')).toEqual(['Ysolde Aldebrandi']);
    // The old word stays known but leads nowhere now.
    expect(await search('brunehot')).toEqual([]);
    await app.request('PATCH', `/v1/people/${person.id}`, {
      headers: users.user.auth,
      body: { phone: '+33 1 00' },
    });
    const words = await app.db
      .knex('search_words')
      .where({ source: 'people' })
      .whereIn('word', ['aldebrandi', 'ysolde', 'brunehaut'])
      .select('word')
      .orderBy('word');
    expect(words.map((row: { word: string }) => row.word)).toEqual(['aldebrandi', 'brunehaut', 'ysolde']);
  });

  it('forgets, at the next cleanup, the words that no record holds any more', async () => {
    const known = async (words: string[]) =>
      (await app.db.knex('search_words').where({ source: 'people' }).whereIn('word', words).distinct('word'))
        .map((row: { word: string }) => row.word)
        .sort();
    const [kept, renamed, deleted] = await Promise.all([
      create({ first_name: 'Anselme', last_name: 'Quintavalle' }),
      create({ first_name: 'Bertille', last_name: 'Quintavalle' }),
      create({ first_name: 'Zéphyrine', last_name: 'Oudinot' }),
    ]);
    await app.db.knex('people').where({ id: renamed.id }).update({ last_name: 'Castagnol' });
    await app.db.knex('people').where({ id: deleted.id }).delete();
    const words = ['anselme', 'bertille', 'castagnol', 'oudinot', 'quintavalle', 'zephyrine'];
    expect(await known(words)).toEqual(words);

    // A writer holding the table keeps the words (and their checks) for a later run.
    const writer = await app.db.knex.transaction();
    try {
      await writer('people').where({ id: kept.id }).update({ phone: '+33 1 00 00 00 00' });
      expect(await pruneSearchWords(app.db.knex, { lockTimeout: '100ms' })).toBe(0);
    } finally {
      await writer.rollback();
    }
    expect(await known(words)).toEqual(words);

    expect(await pruneSearchWords(app.db.knex)).toBeGreaterThanOrEqual(2);
    expect(await known(words)).toEqual(['anselme', 'bertille', 'castagnol', 'quintavalle']);
    expect(await app.db.knex('search_words_dropped').count({ n: '*' })).toEqual([{ n: '0' }]);
    expect(await search('quintavale')).toContain('Anselme Quintavalle');
    expect(await search('zephyrne')).toEqual([]);
  });

  it('takes the words of rows inserted many at a time, and not their digits', async () => {
    await app.db.knex.raw(
      `INSERT INTO organisations (name, type) SELECT 'Vauquelin Gestion ' || i, 'client' FROM generate_series(1, 50) AS i`,
    );
    const words = await app.db
      .knex('search_words')
      .where({ source: 'organisations' })
      .select('word')
      .orderBy('word');
    expect(words.map((row: { word: string }) => row.word)).toEqual(['gestion', 'vauquelin']);
    const response = await app.request('GET', '/v1/organisations?q=vauqelin&limit=100', {
      headers: users.readonly.auth,
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(50);
  });
});
