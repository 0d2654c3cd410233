/**
 * POST /v1/imports and its progress: the file is checked at the door (header, mapping, type,
 * size), queued, run by the `imports.run` job's function as a worker runs it, and reported —
 * counts, the error CSV, an `import.finished` event to its requester — with managers reaching only
 * their own imports.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPendingImports } from '../../server/src/imports/import-runs';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createUsersPerRole, type TestUser } from '../helpers/factories';
import { openEventStream } from '../helpers/realtime';

let app: TestApp;
let roles: Record<'admin' | 'manager' | 'user' | 'readonly', TestUser>;
const validator = new OpenApiValidator();
const run = () => runPendingImports(app.services, { validator, staleAfterMs: 60_000 });

/** Excel in French: `;`, Windows-1252, CRLF; row 4 has a bad email, row 5 repeats row 2. */
const PEOPLE = iconv.encode(
  [
    'Prénom;Nom;E-mail;Société;Colonne libre',
    'Éloïse;Lefèvre;eloise.lefevre@exemple.fr;Banque Étoile;x',
    'Noël;Garçon;noel.garcon@exemple.fr;"Crédit ; Mutuel";',
    'Anaïs;Dupré;pas-un-email;;',
    'Éloïse;Lefèvre;ELOISE.LEFEVRE@exemple.fr;;',
    '',
  ].join('\r\n'),
  'windows-1252',
);

const csv = (headers: Record<string, string>) => ({ 'content-type': 'text/csv', ...headers });

beforeAll(async () => {
  app = await startTestApp({ env: { IMPORT_BODY_LIMIT: '512kb' } });
  roles = await createUsersPerRole(app.db.knex);
});
afterAll(() => app.close());

describe('POST /v1/imports', () => {
  it('queues a file, runs it in the background and reports counts, errors and the event', async () => {
    const events = await openEventStream(app.url, { headers: roles.manager.auth });
    const queued = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: PEOPLE,
    });
    expect(queued.status).toBe(202);
    expect(queued.headers.get('location')).toBe(`/v1/imports/${queued.body.id}`);
    expect(queued.body).toMatchObject({
      resource: 'people',
      status: 'queued',
      dry_run: false,
      bytes: PEOPLE.length,
      requested_by: roles.manager.id,
      attempts: 0,
      rows: 0,
      report: null,
    });
    expect(await app.db.knex('people').count({ n: '*' })).toEqual([{ n: '0' }]);

    expect(await run()).toBe(1);
    const done = await app.request('GET', `/v1/imports/${queued.body.id}`, { headers: roles.manager.auth });
    expect(done.body).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      rows: 4,
      created: 2,
      updated: 0,
      skipped: 0,
      errors: 2,
      failure: null,
      report: {
        encoding: 'windows-1252',
        delimiter: ';',
        columns: { Prénom: 'first_name', Nom: 'last_name', 'E-mail': 'email', Société: 'organisation' },
        ignored_columns: ['Colonne libre'],
      },
    });
    expect(done.body.finished_at).not.toBeNull();
    const errors = await app.request('GET', `/v1/imports/${queued.body.id}/errors`, {
      headers: roles.manager.auth,
    });
    expect(errors.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(errors.text).toBe(
      'row,column,reason\n4,E-mail,must be an email address\n5,E-mail,the same person as row 2\n',
    );

    const people = await app.db
      .knex('people')
      .orderBy('last_name')
      .select('first_name', 'last_name', 'email', 'owner_id');
    expect(people).toEqual([
      {
        first_name: 'Noël',
        last_name: 'Garçon',
        email: 'noel.garcon@exemple.fr',
        owner_id: roles.manager.id,
      },
      {
        first_name: 'Éloïse',
        last_name: 'Lefèvre',
        email: 'eloise.lefevre@exemple.fr',
        owner_id: roles.manager.id,
      },
    ]);
    expect(await app.db.knex('organisations').orderBy('name').pluck('name')).toEqual([
      'Banque Étoile',
      'Crédit ; Mutuel',
    ]);
    const audited = await app.db
      .knex('audit_log')
      .where({ resource: 'people', action: 'create' })
      .select('principal_id', 'request_id');
    expect(audited).toHaveLength(2);
    expect(new Set(audited.map((row) => row.principal_id))).toEqual(new Set([roles.manager.id]));
    // The file is gone; what it did stays.
    expect(await app.db.knex('imports').where({ id: queued.body.id }).first('file')).toEqual({ file: null });

    const finished = await events.waitFor((event) => event.type === 'import.finished');
    expect(finished.data).toMatchObject({ id: queued.body.id, status: 'succeeded', created: 2 });
    events.close();

    // The same file again changes nothing.
    const again = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: PEOPLE,
    });
    await run();
    const second = await app.request('GET', `/v1/imports/${again.body.id}`, { headers: roles.manager.auth });
    expect(second.body).toMatchObject({ status: 'succeeded', created: 0, updated: 0, skipped: 2, errors: 2 });
  });

  it('counts a dry run without writing, and applies a mapping', async () => {
    const file = 'Raison sociale;Pays\nBanque Lumière;fr\nAssurances du Nord;BE\n';
    const queued = await app.request(
      'POST',
      `/v1/imports?resource=organisations&dry_run=true&map=${encodeURIComponent('Raison sociale=name,Pays=country')}`,
      { headers: csv(roles.admin.auth), rawBody: file },
    );
    expect(queued.status).toBe(202);
    expect(queued.body.map).toEqual({ 'Raison sociale': 'name', Pays: 'country' });
    await run();
    const done = await app.request('GET', `/v1/imports/${queued.body.id}`, { headers: roles.admin.auth });
    expect(done.body).toMatchObject({ status: 'succeeded', dry_run: true, rows: 2, created: 2 });
    expect(
      await app.db.knex('organisations').where('name', 'like', 'Banque Lumi%').count({ n: '*' }),
    ).toEqual([{ n: '0' }]);
  });

  it('refuses at the door what cannot be imported, naming the field and the fix', async () => {
    const missing = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: 'Prénom;Courriel\nAna;ana@exemple.fr\n',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe(
      'The file cannot be imported: missing required column last_name: name it in the header, or map one with map=Header=last_name.',
    );
    expect(missing.body.errors).toEqual([
      { in: 'body', field: '', message: expect.stringContaining('missing required column last_name') },
    ]);

    const badMap = await app.request('POST', '/v1/imports?resource=people&map=Nom%3Dsurname', {
      headers: csv(roles.manager.auth),
      rawBody: 'Prénom;Nom\nAna;Lopes\n',
    });
    expect(badMap.status).toBe(400);
    expect(badMap.body.errors[0]).toMatchObject({ in: 'query', field: 'map' });
    expect(badMap.body.errors[0].message).toContain('the fields are first_name, last_name');

    const malformedMap = await app.request('POST', '/v1/imports?resource=people&map=Nom', {
      headers: csv(roles.manager.auth),
      rawBody: 'Prénom;Nom\nAna;Lopes\n',
    });
    expect(malformedMap.status).toBe(400);
    expect(malformedMap.body.errors).toEqual([
      { in: 'query', field: 'map', message: 'must be comma-separated Header=field pairs' },
    ]);

    const noResource = await app.request('POST', '/v1/imports', {
      headers: csv(roles.manager.auth),
      rawBody: 'Prénom;Nom\nAna;Lopes\n',
    });
    expect(noResource.status).toBe(400);
    expect(noResource.body.errors).toContainEqual(
      expect.objectContaining({ in: 'query', field: 'resource' }),
    );

    const json = await app.request('POST', '/v1/imports?resource=people', {
      headers: roles.manager.auth,
      body: { first_name: 'Ana' },
    });
    expect(json.status).toBe(415);
    expect(json.body.errors).toEqual([
      { in: 'header', field: 'content-type', message: 'must be one of: text/csv' },
    ]);

    const empty = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
    });
    expect(empty.status).toBe(400);

    const large = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: `Prénom;Nom\n${'Ana;Lopes\n'.repeat(60_000)}`,
    });
    expect(large.status).toBe(413);
    expect(large.headers.get('content-type')).toMatch(/problem\+json/);
    expect(
      await app.db
        .knex('imports')
        .where({ requested_by: roles.manager.id, status: 'queued' })
        .count({ n: '*' }),
    ).toEqual([{ n: '0' }]);
  });

  it('lets managers and users reach only what the permission table gives them', async () => {
    const mine = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.admin.auth),
      rawBody: 'Prénom;Nom\nAna;Lopes\n',
    });
    const list = await app.request('GET', '/v1/imports?limit=100', { headers: roles.manager.auth });
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    expect(
      list.body.data.every((row: { requested_by: string }) => row.requested_by === roles.manager.id),
    ).toBe(true);
    const everyone = await app.request('GET', '/v1/imports?status=queued', { headers: roles.admin.auth });
    expect(everyone.body.data.map((row: { id: string }) => row.id)).toContain(mine.body.id);

    expect(
      (await app.request('GET', `/v1/imports/${mine.body.id}`, { headers: roles.manager.auth })).status,
    ).toBe(404);
    const user = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.user.auth),
      rawBody: 'Prénom;Nom\nAna;Lopes\n',
    });
    expect(user.status).toBe(403);
    expect(user.body.required_permission).toBe('imports:create');

    // An API key acts as no user: its imports are no one's own, and all its readers'.
    const key = await createApiKey(app.db.knex, roles.admin, ['imports:create', 'imports:read']);
    const keyed = await app.request('POST', '/v1/imports?resource=organisations', {
      headers: csv(key.headers),
      rawBody: 'Nom;Pays\nBanque Clé;FR\n',
    });
    expect(keyed.status).toBe(202);
    expect(keyed.body.requested_by).toBeNull();
    await run();
    const done = await app.request('GET', `/v1/imports/${keyed.body.id}`, { headers: key.headers });
    expect(done.body).toMatchObject({ status: 'succeeded', created: 1 });
    const audit = await app.db
      .knex('audit_log')
      .where({ resource: 'organisations', action: 'create' })
      .orderBy('id', 'desc')
      .first('principal_type', 'principal_id');
    expect(audit).toEqual({ principal_type: 'api_key', principal_id: key.id });
  });

  it('replays the same import for a repeated Idempotency-Key', async () => {
    const headers = { ...csv(roles.manager.auth), 'Idempotency-Key': 'import-once' };
    const first = await app.request('POST', '/v1/imports?resource=people', {
      headers,
      rawBody: 'Prénom;Nom\nAna;Idem\n',
    });
    const second = await app.request('POST', '/v1/imports?resource=people', {
      headers,
      rawBody: 'Prénom;Nom\nAna;Idem\n',
    });
    expect(second.body.id).toBe(first.body.id);
    const other = await app.request('POST', '/v1/imports?resource=people', {
      headers,
      rawBody: 'Prénom;Nom\nAna;Autre\n',
    });
    expect(other.status).toBe(422);
    expect(await run()).toBe(1);
  });

  it('is taken over when its worker stops beating, and ends with the same records', async () => {
    const queued = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: 'Prénom;Nom;E-mail\nReprise;Un;reprise.un@exemple.fr\nReprise;Deux;reprise.deux@exemple.fr\n',
    });
    // A worker claimed it, wrote the first row, and died.
    await app.db
      .knex('people')
      .insert({ first_name: 'Reprise', last_name: 'Un', email: 'reprise.un@exemple.fr' });
    await app.db
      .knex('imports')
      .where({ id: queued.body.id })
      .update({
        status: 'running',
        attempts: 1,
        heartbeat_at: app.db.knex.raw("now() - interval '5 minutes'"),
      });
    expect(await run()).toBe(1);
    const done = await app.request('GET', `/v1/imports/${queued.body.id}`, { headers: roles.manager.auth });
    expect(done.body).toMatchObject({ status: 'succeeded', attempts: 2, created: 1, skipped: 1 });
    expect(await app.db.knex('people').where({ first_name: 'Reprise' }).count({ n: '*' })).toEqual([
      { n: '2' },
    ]);
  });

  it('writes batches side by side without creating an organisation twice, reporting in row order', async () => {
    // 7,000 rows: four batches, two written at once, naming 20 organisations none of which exists;
    // every 1,000th row is bad, so problems come from every batch. Two rows name a person again:
    // one from the same batch, one from a batch written earlier.
    const emailOf = (index: number) =>
      index === 20
        ? 'lot.15@parallele.fr'
        : index === 5_500
          ? 'LOT.10@parallele.fr'
          : `lot.${index}@parallele.fr`;
    const lines = ['Prénom;Nom;E-mail;Société'];
    for (let index = 0; index < 7_000; index += 1)
      lines.push(
        `Lot${index};Parallèle;${index % 1_000 === 999 ? 'pas-un-email' : emailOf(index)};Cabinet ${index % 20}`,
      );
    const queued = await app.request('POST', '/v1/imports?resource=people', {
      headers: csv(roles.manager.auth),
      rawBody: `${lines.join('\n')}\n`,
    });
    expect(await run()).toBe(1);
    const done = await app.request('GET', `/v1/imports/${queued.body.id}`, { headers: roles.manager.auth });
    expect(done.body).toMatchObject({ status: 'succeeded', rows: 7_000, created: 6_991, errors: 9 });
    const errors = await app.request('GET', `/v1/imports/${queued.body.id}/errors`, {
      headers: roles.manager.auth,
    });
    expect(errors.text.trimEnd().split('\n').slice(1)).toEqual([
      '22,E-mail,the same person as row 17',
      ...[1_001, 2_001, 3_001, 4_001, 5_001].map((row) => `${row},E-mail,must be an email address`),
      '5502,E-mail,the same person as row 12',
      ...[6_001, 7_001].map((row) => `${row},E-mail,must be an email address`),
    ]);
    const cabinets = await app.db
      .knex('organisations')
      .where('name', 'like', 'Cabinet %')
      .select('name')
      .count({ n: '*' })
      .groupBy('name');
    expect(cabinets).toHaveLength(20);
    expect(cabinets.every((row) => row.n === '1')).toBe(true);
    const links = await app.db
      .knex('person_organisations as l')
      .join('people as p', 'p.id', 'l.person_id')
      .where('p.last_name', 'Parallèle')
      .select(app.db.knex.raw('count(*) AS n, count(*) FILTER (WHERE l.is_primary) AS primary'));
    expect(links).toEqual([{ n: '6991', primary: '6991' }]);
  });

  it('reports a file that turns out unreadable as failed, and keeps the job going', async () => {
    // Queued past the door's check (as a file sent before a mapping was tightened would be).
    const [row] = await app.db
      .knex('imports')
      .insert({
        resource: 'people',
        file: Buffer.from('Prénom;Courriel\nAna;ana@exemple.fr\n'),
        bytes: 36,
        principal_type: 'user',
        principal_id: roles.manager.id,
        requested_by: roles.manager.id,
      })
      .returning('id');
    expect(await run()).toBe(1);
    const done = await app.request('GET', `/v1/imports/${row.id}`, { headers: roles.manager.auth });
    expect(done.body).toMatchObject({ status: 'failed', rows: 0 });
    expect(done.body.failure).toContain('missing required column last_name');
  });
});
