/**
 * GET /v1/exports/{people,organisations,interactions}: streamed CSV and JSON Lines with the
 * lists' filters and permissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createPerson, createUser, type TestUser } from '../helpers/factories';

let app: TestApp;
let reader: TestUser;
let owner: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  reader = await createUser(app.db.knex, { role: 'readonly' });
  owner = await createUser(app.db.knex, { role: 'user' });
  for (let index = 0; index < 1_200; index += 1)
    await createPerson(app.db.knex, {
      first_name: `Ana${index}`,
      last_name: index === 0 ? 'Ferreira; "Nana"' : `Ferreira${index}`,
      email: `ana.${index}@example.com`,
      owner_id: index < 3 ? owner.id : null,
    });
});
afterAll(() => app.close());

describe('exports', () => {
  it('streams every person as CSV, with a download name', async () => {
    const response = await fetch(`${app.url}/v1/exports/people`, { headers: reader.auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(1_201);
    expect(lines[0]).toBe(
      'id,first_name,last_name,email,phone,job_title,language,notes,organisation,owner_id,created_by,created_at,updated_at,archived_at',
    );
    expect(lines.some((line) => line.includes('"Ferreira; ""Nana"""'))).toBe(true);
  });

  it('takes the list filters, JSON Lines and the Excel flavour', async () => {
    const mine = await fetch(`${app.url}/v1/exports/people?format=jsonl&owner_id=${owner.id}`, {
      headers: reader.auth,
    });
    expect(mine.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const rows = (await mine.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.email).sort()).toEqual([
      'ana.0@example.com',
      'ana.1@example.com',
      'ana.2@example.com',
    ]);
    const excel = await fetch(`${app.url}/v1/exports/people?excel=true&owner_id=${owner.id}`, {
      headers: reader.auth,
    });
    const bytes = new Uint8Array(await excel.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('id;first_name;last_name;');
  });

  it('refuses a bad filter with a problem naming it, and a key without the scope', async () => {
    const bad = await app.request('GET', '/v1/exports/people?format=xlsx', { headers: reader.auth });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'format' })]);
    const key = await createApiKey(app.db.knex, owner, ['organisations:read']);
    const refused = await app.request('GET', '/v1/exports/people', { headers: key.headers });
    expect(refused.status).toBe(403);
    const allowed = await fetch(`${app.url}/v1/exports/organisations`, { headers: key.headers });
    expect(allowed.status).toBe(200);
  });
});
