import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/src/platform/core/permissions';
import { startTestApp, type TestApp } from '../helpers/app';
import { createOrganisation, createPerson, createUsersPerRole, type TestUser } from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;
beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
});
afterAll(() => app.close());

describe('people', () => {
  it('creates a person with no organisations yet', async () => {
    const response = await app.request('POST', '/v1/people', {
      headers: users.user.auth,
      body: {
        first_name: 'Hélène',
        last_name: 'Dupré',
        email: 'Helene.Dupre@Example.fr',
        language: 'fr',
        job_title: 'CFO',
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      email: 'Helene.Dupre@Example.fr',
      organisations: [],
      owner_id: users.user.id,
    });
  });

  it('refuses a second person with the same email in another case, naming who has it', async () => {
    const existing = await createPerson(app.db.knex, { email: 'taken@example.com' });
    const response = await app.request('POST', '/v1/people', {
      headers: users.user.auth,
      body: { first_name: 'Copy', last_name: 'Cat', email: 'TAKEN@example.com' },
    });
    expect(response.status).toBe(409);
    expect(response.body.existing_id).toBe(existing.id);
  });

  it('finds Hélène Dupré by helene, by dupre and by part of her email', async () => {
    const search = async (q: string) =>
      (
        await app.request('GET', `/v1/people?q=${encodeURIComponent(q)}`, { headers: users.readonly.auth })
      ).body.data.map((person: { last_name: string }) => person.last_name);
    expect(await search('helene')).toContain('Dupré');
    expect(await search('DUPRE')).toContain('Dupré');
    expect(await search('dupre@exam')).toContain('Dupré');
    expect(await search('duprez')).toContain('Dupré');
  });

  it('sorts by last then first name', async () => {
    const organisation = await createOrganisation(app.db.knex);
    for (const [first_name, last_name] of [
      ['Zoé', 'Martin'],
      ['Anne', 'Martin'],
      ['Bruno', 'Bernard'],
    ]) {
      const person = await createPerson(app.db.knex, { first_name, last_name });
      await app.db
        .knex('person_organisations')
        .insert({ person_id: person.id, organisation_id: organisation.id });
    }
    const list = await app.request('GET', `/v1/people?organisation_id=${organisation.id}&sort=name`, {
      headers: users.readonly.auth,
    });
    expect(list.body.data.map((person: { first_name: string }) => person.first_name)).toEqual([
      'Bruno',
      'Anne',
      'Zoé',
    ]);
  });
});

describe('links between people and organisations', () => {
  it('links, embeds, switches the primary organisation and unlinks', async () => {
    const person = await createPerson(app.db.knex, { owner_id: users.user.id });
    const [bank, fund] = [
      await createOrganisation(app.db.knex, { name: 'Bank' }),
      await createOrganisation(app.db.knex, { name: 'Fund' }),
    ];
    const link = (organisation_id: string, extra: object = {}) =>
      app.request('POST', `/v1/people/${person.id}/organisations`, {
        headers: users.user.auth,
        body: { organisation_id, ...extra },
      });

    const first = await link(bank.id, { role: 'CFO', is_primary: true, since: '2020-01-01' });
    expect(first.status).toBe(201);
    expect(first.body.organisations).toEqual([
      {
        organisation_id: bank.id,
        organisation_name: 'Bank',
        role: 'CFO',
        is_primary: true,
        since: '2020-01-01',
        until: null,
      },
    ]);
    const second = await link(fund.id, { role: 'Board member', is_primary: true });
    expect(second.status).toBe(201);
    expect(
      second.body.organisations.map((m: { organisation_name: string; is_primary: boolean }) => [
        m.organisation_name,
        m.is_primary,
      ]),
    ).toEqual([
      ['Fund', true],
      ['Bank', false],
    ]);
    const updated = await link(bank.id, { role: 'CEO' });
    expect(updated.status).toBe(200);

    const listed = await app.request('GET', `/v1/people?organisation_id=${fund.id}`, {
      headers: users.readonly.auth,
    });
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([person.id]);

    expect(
      (
        await app.request('DELETE', `/v1/people/${person.id}/organisations/${bank.id}`, {
          headers: users.user.auth,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await app.request('DELETE', `/v1/people/${person.id}/organisations/${bank.id}`, {
          headers: users.user.auth,
        })
      ).status,
    ).toBe(404);
    const after = await app.request('GET', `/v1/people/${person.id}`, { headers: users.user.auth });
    expect(after.body.organisations.map((m: { organisation_id: string }) => m.organisation_id)).toEqual([
      fund.id,
    ]);
  });

  it('refuses a link to an unknown organisation and dates in the wrong order', async () => {
    const person = await createPerson(app.db.knex);
    const unknown = await app.request('POST', `/v1/people/${person.id}/organisations`, {
      headers: users.manager.auth,
      body: { organisation_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('/organisation_id');
    const organisation = await createOrganisation(app.db.knex);
    const backwards = await app.request('POST', `/v1/people/${person.id}/organisations`, {
      headers: users.manager.auth,
      body: { organisation_id: organisation.id, since: '2024-01-01', until: '2020-01-01' },
    });
    expect(backwards.status).toBe(400);
  });

  it('removes a person’s links when the person is deleted', async () => {
    const person = await createPerson(app.db.knex);
    const organisation = await createOrganisation(app.db.knex);
    await app.db
      .knex('person_organisations')
      .insert({ person_id: person.id, organisation_id: organisation.id });
    expect(
      (await app.request('DELETE', `/v1/people/${person.id}`, { headers: users.manager.auth })).status,
    ).toBe(204);
    expect(await app.db.knex('person_organisations').where({ person_id: person.id })).toEqual([]);
  });
});
