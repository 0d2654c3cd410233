/**
 * What embed tokens gained for the web components, and nothing more: an inbox widget marks done
 * and snoozes the interactions assigned to its own user (every other field of the spec's
 * InteractionUpdate is refused), lead score and hot leads read what their widget shows, and a
 * widget the token does not hold is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../server/src/platform/core/principal';
import { openApiDocument } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  createInteraction,
  createPerson,
  createUser,
  embedTokenFor,
  type TestUser,
} from '../helpers/factories';

const ORIGIN = 'https://intranet.example.com';
const ACTIONS = new Set(['status', 'next_action_at']);
const updateFields = Object.entries(
  (
    openApiDocument.components.schemas!.InteractionUpdate as {
      properties: Record<string, { readOnly?: boolean }>;
    }
  ).properties,
)
  .filter(([, property]) => !property.readOnly)
  .map(([name]) => name);

const SAMPLE: Record<string, unknown> = {
  type: 'call',
  title: 'Changed',
  body: 'Changed',
  occurred_at: '2026-01-01T00:00:00Z',
  duration_minutes: 5,
  organisation_id: null,
  status: 'in_progress',
  assignee_id: null,
  next_action_at: '2030-01-01T09:00:00Z',
  source: 'api',
  participants: [],
};

let app: TestApp;
let manager: TestUser;
let colleague: TestUser;
let person: { id: string };
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
  [manager, colleague] = await Promise.all([
    createUser(app.db.knex, { role: 'manager' }),
    createUser(app.db.knex, { role: 'manager' }),
  ]);
  person = await createPerson(app.db.knex);
});
afterAll(() => app.close());

const widgetHeaders = (
  user: TestUser,
  widgets: Widget[],
  subject = { type: 'person' as const, id: person.id },
) => ({
  Authorization: `Bearer ${embedTokenFor(user, { widgets, subject, origins: [ORIGIN] })}`,
  Origin: ORIGIN,
});

describe('an inbox widget acts on its own user’s items only', () => {
  it('every InteractionUpdate field is in the matrix', () => {
    expect(updateFields.sort()).toEqual(Object.keys(SAMPLE).sort());
  });

  for (const field of Object.keys(SAMPLE)) {
    const allowed = ACTIONS.has(field);
    it(`${allowed ? 'changes' : 'refuses'} ${field} on an item assigned to its user`, async () => {
      const item = await createInteraction(app.db.knex, {
        assignee_id: manager.id,
        next_action_at: new Date(),
      });
      const response = await app.request('PATCH', `/v1/interactions/${item.id}`, {
        headers: widgetHeaders(manager, ['inbox']),
        body: { [field]: SAMPLE[field] },
      });
      expect(response.status).toBe(allowed ? 200 : 403);
      const after = await app.db.knex('interactions').where({ id: item.id }).first();
      if (!allowed) expect(after.updated_at).toEqual(after.created_at);
    });
  }

  it('refuses an item assigned to someone else, though its user is a manager who could', async () => {
    const item = await createInteraction(app.db.knex, { assignee_id: colleague.id });
    const response = await app.request('PATCH', `/v1/interactions/${item.id}`, {
      headers: widgetHeaders(manager, ['inbox']),
      body: { status: 'done' },
    });
    expect(response.status).toBe(403);
    expect((await app.db.knex('interactions').where({ id: item.id }).first('status')).status).toBe('todo');
  });

  it.each([['timeline'], ['lead-score'], ['hot-leads']] as [Widget][])(
    'refuses a %s-only token',
    async (widget) => {
      const item = await createInteraction(app.db.knex, { assignee_id: manager.id });
      const response = await app.request('PATCH', `/v1/interactions/${item.id}`, {
        headers: widgetHeaders(manager, [widget]),
        body: { status: 'done' },
      });
      expect(response.status).toBe(403);
    },
  );

  it('reads its user’s inbox whatever the token’s subject, and nobody else’s', async () => {
    const own = await app.request('GET', '/v1/inbox', { headers: widgetHeaders(manager, ['inbox']) });
    expect(own.status).toBe(200);
    expect(own.body.user_id).toBe(manager.id);
    const other = await app.request('GET', `/v1/inbox?user_id=${colleague.id}`, {
      headers: widgetHeaders(manager, ['inbox']),
    });
    expect(other.status).toBe(403);
  });
});

describe('lead score and hot leads read what their widget shows', () => {
  it('a lead-score token reads its person’s score, not another’s, and not the hot leads', async () => {
    const other = await createPerson(app.db.knex);
    const headers = widgetHeaders(manager, ['lead-score']);
    expect((await app.request('GET', `/v1/people/${person.id}/lead-score`, { headers })).status).toBe(200);
    expect((await app.request('GET', `/v1/people/${other.id}/lead-score`, { headers })).status).toBe(403);
    expect((await app.request('GET', '/v1/lead-scores', { headers })).status).toBe(403);
  });

  it('a hot-leads token reads the ranked list with owners and last week’s scores', async () => {
    const response = await app.request('GET', '/v1/lead-scores', {
      headers: widgetHeaders(manager, ['hot-leads']),
    });
    expect(response.status).toBe(200);
  });

  it('the token tells the widget its user’s name and time zone', async () => {
    const response = await app.request('GET', '/v1/embed-tokens/current', {
      headers: widgetHeaders(manager, ['timeline']),
    });
    expect(response.body).toMatchObject({
      user_id: manager.id,
      user_name: manager.name,
      time_zone: manager.time_zone,
    });
  });
});
