/**
 * Search pages, whichever way they are found: a common term from the first rows of the list's
 * order, a rare one (beyond the first SEARCH_WINDOW rows) through the trigram index, and a typo
 * through word similarity. Each must give every match once, in the list's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_WINDOW } from '../../server/src/platform/pagination';
import type { Role } from '../../server/src/platform/permissions';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUsersPerRole, type TestUser } from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;

const FILLERS = SEARCH_WINDOW + 200;
const RARE = 30;

beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
  // Fillers sort first ("Aa…"); one in ten is a "Martin" (a common term); the rare "Zorrino"
  // people sort after all of them, beyond the first window of the list's order.
  await app.db.knex.raw(
    `INSERT INTO people (first_name, last_name, email)
     SELECT CASE WHEN i % 10 = 0 THEN 'Martin' ELSE 'Paul' END, 'Aa' || lpad(i::text, 5, '0'), NULL
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
