import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANDATE_TRANSITIONS } from '../../server/src/mandates/mandate-service';
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

describe('mandates', () => {
  it('creates a draft mandate for an existing organisation, and refuses an unknown one', async () => {
    const organisation = await createOrganisation(app.db.knex);
    const created = await app.request('POST', '/v1/mandates', {
      headers: users.user.auth,
      body: {
        organisation_id: organisation.id,
        title: 'Refinancing 2027',
        type: 'financing',
        start_date: '2027-01-01',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', start_date: '2027-01-01', end_date: null });
    const unknown = await app.request('POST', '/v1/mandates', {
      headers: users.user.auth,
      body: { organisation_id: '00000000-0000-4000-8000-000000000000', title: 'X', type: 'advisory' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('/organisation_id');
  });

  it('follows draft → proposed → signed → active → terminated', async () => {
    const mandate = await createMandate(app.db.knex);
    for (const status of ['proposed', 'signed', 'active', 'terminated']) {
      const response = await app.request('PATCH', `/v1/mandates/${mandate.id}`, {
        headers: users.manager.auth,
        body: { status },
      });
      expect(response.status, status).toBe(200);
      expect(response.body.status).toBe(status);
    }
  });

  it.each(
    Object.entries(MANDATE_TRANSITIONS).flatMap(([from, allowed]) =>
      ['draft', 'proposed', 'signed', 'active', 'terminated']
        .filter((to) => to !== from && !allowed.includes(to as never))
        .map((to) => [from, to, allowed] as const),
    ),
  )('refuses %s → %s with 409 naming the allowed moves', async (from, to, allowed) => {
    const mandate = await createMandate(app.db.knex, { status: from });
    const response = await app.request('PATCH', `/v1/mandates/${mandate.id}`, {
      headers: users.manager.auth,
      body: { status: to },
    });
    expect(response.status).toBe(409);
    expect(response.body.allowed_transitions).toEqual(allowed);
    expect((await app.db.knex('mandates').where({ id: mandate.id }).first()).status).toBe(from);
  });

  it('filters by organisation and by several statuses', async () => {
    const organisation = await createOrganisation(app.db.knex);
    await createMandate(app.db.knex, { organisation_id: organisation.id, status: 'draft' });
    await createMandate(app.db.knex, { organisation_id: organisation.id, status: 'active' });
    await createMandate(app.db.knex, { organisation_id: organisation.id, status: 'terminated' });
    const response = await app.request(
      'GET',
      `/v1/mandates?organisation_id=${organisation.id}&status=draft,active&sort=-created_at`,
      {
        headers: users.readonly.auth,
      },
    );
    expect(response.body.data.map((m: { status: string }) => m.status).sort()).toEqual(['active', 'draft']);
  });

  it('refuses an end date before the start date', async () => {
    const organisation = await createOrganisation(app.db.knex);
    const response = await app.request('POST', '/v1/mandates', {
      headers: users.user.auth,
      body: {
        organisation_id: organisation.id,
        title: 'Backwards',
        type: 'advisory',
        start_date: '2027-01-01',
        end_date: '2026-01-01',
      },
    });
    expect(response.status).toBe(400);
  });
});
