import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/src/platform/core/permissions';
import { startTestApp, type TestApp } from '../helpers/app';
import { createMandate, createOrganisation, createUsersPerRole, type TestUser } from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;
beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
});
afterAll(() => app.close());

const post = (user: TestUser, body: object, headers: Record<string, string> = {}) =>
  app.request('POST', '/v1/organisations', { headers: { ...user.auth, ...headers }, body });

describe('creating organisations', () => {
  it('answers 201 with Location and ETag, owned by the creator by default', async () => {
    const response = await post(users.user, { name: 'Banque Lumière', type: 'prospect', country: 'FR' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/organisations/${response.body.id}`);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(response.body).toMatchObject({
      owner_id: users.user.id,
      created_by: users.user.id,
      archived_at: null,
    });
  });

  it('lets a manager name another owner, but not a user', async () => {
    const byManager = await post(users.manager, {
      name: 'Delegated SA',
      type: 'client',
      owner_id: users.user.id,
    });
    expect(byManager.body.owner_id).toBe(users.user.id);
    const byUser = await post(users.user, { name: 'Gift SA', type: 'client', owner_id: users.manager.id });
    expect(byUser.status).toBe(403);
  });

  it('names each invalid field', async () => {
    const response = await post(users.user, {
      type: 'bank',
      country: 'France',
      website: 'not a url',
      colour: 'blue',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      '/colour',
      '/country',
      '/name',
      '/type',
      '/website',
    ]);
  });

  it('refuses a readonly user', async () => {
    expect((await post(users.readonly, { name: 'Nope', type: 'client' })).status).toBe(403);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, with no second row', async () => {
    const body = { name: 'Idempotent & Cie', type: 'partner' };
    const first = await post(users.user, body, { 'Idempotency-Key': 'create-org-1' });
    const again = await post(users.user, body, { 'Idempotency-Key': 'create-org-1' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const rows = await app.db.knex('organisations').where({ name: 'Idempotent & Cie' });
    expect(rows).toHaveLength(1);
  });

  it('refuses the same key with another body (422), and keeps keys apart per principal', async () => {
    await post(users.user, { name: 'First body', type: 'client' }, { 'Idempotency-Key': 'shared-key' });
    const other = await post(
      users.user,
      { name: 'Second body', type: 'client' },
      { 'Idempotency-Key': 'shared-key' },
    );
    expect(other.status).toBe(422);
    const someoneElse = await post(
      users.manager,
      { name: 'Second body', type: 'client' },
      { 'Idempotency-Key': 'shared-key' },
    );
    expect(someoneElse.status).toBe(201);
  });

  it('replays a refusal too, and runs again once the key has expired', async () => {
    const invalid = await post(
      users.user,
      { name: 'Gift SA', type: 'client', owner_id: users.admin.id },
      { 'Idempotency-Key': 'refused-once' },
    );
    expect(invalid.status).toBe(403);
    const replay = await post(
      users.user,
      { name: 'Gift SA', type: 'client', owner_id: users.admin.id },
      { 'Idempotency-Key': 'refused-once' },
    );
    expect(replay.status).toBe(403);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    await post(users.user, { name: 'Expiring SA', type: 'client' }, { 'Idempotency-Key': 'expiring' });
    await app.db
      .knex('idempotency_keys')
      .where({ key: 'expiring' })
      .update({ created_at: app.db.knex.raw("now() - interval '25 hours'") });
    const fresh = await post(
      users.user,
      { name: 'Expiring SA', type: 'client' },
      { 'Idempotency-Key': 'expiring' },
    );
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await app.db.knex('organisations').where({ name: 'Expiring SA' })).toHaveLength(2);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const body = { name: 'In flight', type: 'client' };
    const fingerprint = createHash('sha256')
      .update(`POST /v1/organisations\n${JSON.stringify(body)}`)
      .digest('hex');
    // The first request has claimed the key and not answered yet.
    await app.db
      .knex('idempotency_keys')
      .insert({ principal: `user:${users.user.id}`, key: 'in-flight', fingerprint });
    const response = await post(users.user, body, { 'Idempotency-Key': 'in-flight' });
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await app.db.knex('organisations').where({ name: 'In flight' })).toHaveLength(0);
  });
});

describe('ETag and If-Match', () => {
  it('answers 304 to a matching If-None-Match', async () => {
    const organisation = await createOrganisation(app.db.knex);
    const first = await app.request('GET', `/v1/organisations/${organisation.id}`, {
      headers: users.readonly.auth,
    });
    const second = await app.request('GET', `/v1/organisations/${organisation.id}`, {
      headers: { ...users.readonly.auth, 'If-None-Match': first.headers.get('etag')! },
    });
    expect(second.status).toBe(304);
  });

  it('refuses a PATCH with a stale ETag (412) and takes one with the current ETag', async () => {
    const organisation = await createOrganisation(app.db.knex);
    const read = await app.request('GET', `/v1/organisations/${organisation.id}`, {
      headers: users.manager.auth,
    });
    const etag = read.headers.get('etag')!;
    const first = await app.request('PATCH', `/v1/organisations/${organisation.id}`, {
      headers: { ...users.manager.auth, 'If-Match': etag },
      body: { notes: 'first writer' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    const lost = await app.request('PATCH', `/v1/organisations/${organisation.id}`, {
      headers: { ...users.manager.auth, 'If-Match': etag },
      body: { notes: 'second writer' },
    });
    expect(lost.status).toBe(412);
    expect(lost.body.current_etag).toBe(first.headers.get('etag'));
    expect((await app.db.knex('organisations').where({ id: organisation.id }).first()).notes).toBe(
      'first writer',
    );
  });
});

describe('deleting and archiving', () => {
  it('refuses to delete an organisation with mandates, saying what blocks it', async () => {
    const organisation = await createOrganisation(app.db.knex);
    await createMandate(app.db.knex, { organisation_id: organisation.id });
    await createMandate(app.db.knex, { organisation_id: organisation.id });
    const response = await app.request('DELETE', `/v1/organisations/${organisation.id}`, {
      headers: users.manager.auth,
    });
    expect(response.status).toBe(409);
    expect(response.body.blocked_by).toEqual([{ resource: 'mandates', count: 2 }]);
    expect(response.body.detail).toMatch(/archive=true/);
  });

  it('archives on request, hiding it from lists unless asked', async () => {
    const organisation = await createOrganisation(app.db.knex, { name: 'Archivable Holding' });
    await createMandate(app.db.knex, { organisation_id: organisation.id });
    const archived = await app.request('DELETE', `/v1/organisations/${organisation.id}?archive=true`, {
      headers: users.manager.auth,
    });
    expect(archived.status).toBe(204);
    const hidden = await app.request('GET', '/v1/organisations?q=archivable', {
      headers: users.manager.auth,
    });
    expect(hidden.body.data).toEqual([]);
    const shown = await app.request('GET', '/v1/organisations?q=archivable&include_archived=true', {
      headers: users.manager.auth,
    });
    expect(shown.body.data[0].archived_at).not.toBeNull();
  });

  it('deletes an unreferenced organisation', async () => {
    const organisation = await createOrganisation(app.db.knex);
    expect(
      (await app.request('DELETE', `/v1/organisations/${organisation.id}`, { headers: users.manager.auth }))
        .status,
    ).toBe(204);
    expect(
      (await app.request('GET', `/v1/organisations/${organisation.id}`, { headers: users.manager.auth }))
        .status,
    ).toBe(404);
  });

  it('lets a user change only what they own or created', async () => {
    const mine = await createOrganisation(app.db.knex, { owner_id: users.user.id });
    const theirs = await createOrganisation(app.db.knex, { owner_id: users.manager.id });
    const patch = (id: string) =>
      app.request('PATCH', `/v1/organisations/${id}`, {
        headers: users.user.auth,
        body: { notes: 'mine now' },
      });
    expect((await patch(mine.id)).status).toBe(200);
    expect((await patch(theirs.id)).status).toBe(403);
  });
});

describe('listing', () => {
  it('filters by type and country and sorts by name both ways', async () => {
    for (const [name, type, country] of [
      ['Zeta Partners', 'partner', 'BE'],
      ['Alpha Partners', 'partner', 'BE'],
      ['Mid Partners', 'partner', 'LU'],
    ] as const) {
      await createOrganisation(app.db.knex, { name, type, country });
    }
    const ascending = await app.request('GET', '/v1/organisations?type=partner&country=BE&sort=name', {
      headers: users.readonly.auth,
    });
    expect(ascending.body.data.map((row: { name: string }) => row.name)).toEqual([
      'Alpha Partners',
      'Zeta Partners',
    ]);
    const descending = await app.request(
      'GET',
      '/v1/organisations?type=partner,client&country=BE&sort=-name',
      { headers: users.readonly.auth },
    );
    expect(descending.body.data.map((row: { name: string }) => row.name)).toEqual([
      'Zeta Partners',
      'Alpha Partners',
    ]);
    const wrongSort = await app.request('GET', '/v1/organisations?sort=revenue', {
      headers: users.readonly.auth,
    });
    expect(wrongSort.status).toBe(400);
  });

  it('keeps pages stable while rows are inserted between them', async () => {
    const list = (cursor?: string) =>
      app.request(
        'GET',
        `/v1/organisations?type=supplier&sort=name&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        {
          headers: users.readonly.auth,
        },
      );
    const names = Array.from({ length: 10 }, (_, index) => `Supplier ${String(index).padStart(2, '0')}`);
    for (const name of names) await createOrganisation(app.db.knex, { name, type: 'supplier' });
    const seen: string[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const page = await list(cursor);
      seen.push(...page.body.data.map((row: { name: string }) => row.name));
      cursor = page.body.next_cursor ?? undefined;
      // Rows sorted before and after the cursor appear while the client pages.
      await createOrganisation(app.db.knex, { name: `Supplier 00-${inserted}`, type: 'supplier' });
      await createOrganisation(app.db.knex, { name: `Supplier 99-${inserted}`, type: 'supplier' });
      inserted += 1;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const name of names) expect(seen).toContain(name);
  });
});

describe('search', () => {
  beforeAll(async () => {
    await createOrganisation(app.db.knex, { name: 'Société Générale Private Banking' });
    await createOrganisation(app.db.knex, { name: 'Crédit Agricole Indosuez' });
  });

  const search = (q: string) =>
    app.request('GET', `/v1/organisations?q=${encodeURIComponent(q)}`, { headers: users.readonly.auth });

  it('ignores accents and case, and matches inside words', async () => {
    expect((await search('societe generale')).body.data.map((row: { name: string }) => row.name)).toEqual([
      'Société Générale Private Banking',
    ]);
    expect((await search('CREDIT agri')).body.data).toHaveLength(1);
    expect((await search('osuez')).body.data).toHaveLength(1);
  });

  it('tolerates a small typo', async () => {
    expect((await search('generalle')).body.data.map((row: { name: string }) => row.name)).toContain(
      'Société Générale Private Banking',
    );
  });

  it('treats LIKE wildcards as text', async () => {
    expect((await search('%%%')).body.data).toEqual([]);
  });

  it('refuses terms shorter than three characters', async () => {
    const response = await search(' a ');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('q');
  });
});
