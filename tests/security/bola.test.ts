/**
 * OWASP API1 (broken object-level authorization): for every operation on a record (`{id}` in its
 * path), each principal that may not reach it gets 403 or 404 — never the record — and the record
 * is unchanged. The matrix must name every such operation of the spec: adding a `{id}` route
 * without a row here fails this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from '../../server/src/platform/data/db';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  createApiKey,
  createInteraction,
  createMandate,
  createNotification,
  createOrganisation,
  createPerson,
  createUser,
  createUsersPerRole,
  embedTokenFor,
} from '../helpers/factories';

const ORIGIN = 'https://intranet.example.com';
type Who = 'admin' | 'manager' | 'user' | 'readonly' | 'key-other-scope' | 'embed-token';

interface Row {
  /** Creates the record; returns its id and a snapshot function to prove it unchanged. */
  setup(db: Knex, owner: { id: string }): Promise<{ id: string; snapshot(): Promise<unknown> }>;
  /** The request body, or a function of the record's id for bodies that repeat it. */
  body?: object | ((id: string) => object);
  allowed: Who[];
  refused: Who[];
  /** A scope the refused API key holds (anything but the one needed). */
  otherScope: string;
}

const userRecord: Row['setup'] = async (db) => {
  const target = await createUser(db, { role: 'user' });
  return { id: target.id, snapshot: () => db('users').where({ id: target.id }).first() };
};

const crmRecord =
  (create: (db: Knex, owner: string) => Promise<{ id: string }>, table: string): Row['setup'] =>
  async (db, owner) => {
    const record = await create(db, owner.id);
    return { id: record.id, snapshot: () => db(table).where({ id: record.id }).first() };
  };
const organisation = crmRecord(
  (db, owner) => createOrganisation(db, { owner_id: owner, created_by: owner }),
  'organisations',
);
const person = crmRecord((db, owner) => createPerson(db, { owner_id: owner, created_by: owner }), 'people');
const mandate = crmRecord((db, owner) => createMandate(db, { owner_id: owner }), 'mandates');
const interaction = crmRecord(
  (db, owner) => createInteraction(db, { created_by: owner, assignee_id: owner }),
  'interactions',
);
const recompute: Row['setup'] = async (db) => {
  const [created] = await db('scoring_recomputes').insert({ rules_version: 1 }).returning('id');
  return { id: created.id, snapshot: () => db('scoring_recomputes').where({ id: created.id }).first() };
};
/** An import the owner (the admin) sent: a manager reaches only their own. */
const csvImport: Row['setup'] = async (db, owner) => {
  const [created] = await db('imports')
    .insert({
      resource: 'people',
      file: Buffer.from('Prénom;Nom\nCamille;Lefèvre\n'),
      bytes: 26,
      principal_type: 'user',
      principal_id: owner.id,
      requested_by: owner.id,
      error_report: 'row,column,reason\n3,E-mail,must match format "email"\n',
    })
    .returning('id');
  return { id: created.id, snapshot: () => db('imports').where({ id: created.id }).first() };
};
const notification: Row['setup'] = async (db, owner) => {
  const created = await createNotification(db, owner.id);
  return { id: created.id, snapshot: () => db('notifications').where({ id: created.id }).first() };
};
const READERS: Who[] = ['admin', 'manager', 'user', 'readonly'];
const NOT_READERS: Who[] = ['key-other-scope', 'embed-token'];
const EDITORS: Who[] = ['admin', 'manager'];
// `user` reaches only records it owns or created; these belong to the admin.
const NOT_EDITORS: Who[] = ['user', 'readonly', 'key-other-scope', 'embed-token'];

const MATRIX: Record<string, Row> = {
  getOrganisation: { setup: organisation, allowed: READERS, refused: NOT_READERS, otherScope: 'people:read' },
  updateOrganisation: {
    setup: organisation,
    body: { notes: 'x' },
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'organisations:read',
  },
  deleteOrganisation: {
    setup: organisation,
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'organisations:update',
  },
  getPerson: { setup: person, allowed: READERS, refused: NOT_READERS, otherScope: 'organisations:read' },
  updatePerson: {
    setup: person,
    body: { notes: 'x' },
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'people:read',
  },
  deletePerson: { setup: person, allowed: EDITORS, refused: NOT_EDITORS, otherScope: 'people:update' },
  linkPersonOrganisation: {
    setup: person,
    body: { organisation_id: '00000000-0000-4000-8000-000000000000' },
    allowed: [],
    refused: NOT_EDITORS,
    otherScope: 'people:read',
  },
  unlinkPersonOrganisation: { setup: person, allowed: [], refused: NOT_EDITORS, otherScope: 'people:read' },
  // Personal data: a manager's or user's reach is the people they own; these are the admin's.
  exportPersonalData: {
    setup: person,
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'people:read',
  },
  erasePerson: {
    setup: person,
    body: (id) => ({ confirm: id }),
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'people:delete',
  },
  getMandate: { setup: mandate, allowed: READERS, refused: NOT_READERS, otherScope: 'organisations:read' },
  updateMandate: {
    setup: mandate,
    body: { notes: 'x' },
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'mandates:read',
  },
  deleteMandate: { setup: mandate, allowed: EDITORS, refused: NOT_EDITORS, otherScope: 'mandates:update' },
  getInteraction: { setup: interaction, allowed: READERS, refused: NOT_READERS, otherScope: 'people:read' },
  updateInteraction: {
    setup: interaction,
    body: { title: 'x' },
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'interactions:read',
  },
  deleteInteraction: {
    setup: interaction,
    allowed: EDITORS,
    refused: NOT_EDITORS,
    otherScope: 'interactions:update',
  },
  // An embed token for the inbox widget may not read a timeline.
  getPersonTimeline: { setup: person, allowed: READERS, refused: NOT_READERS, otherScope: 'people:read' },
  getOrganisationTimeline: {
    setup: organisation,
    allowed: READERS,
    refused: NOT_READERS,
    otherScope: 'organisations:read',
  },
  getPersonLeadScore: { setup: person, allowed: READERS, refused: NOT_READERS, otherScope: 'people:read' },
  getImport: {
    setup: csvImport,
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'people:create',
  },
  getImportErrors: {
    setup: csvImport,
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'imports:create',
  },
  getLeadScoreRecompute: {
    setup: recompute,
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'lead_scores:read',
  },
  // Another user's notification answers 404, as if it did not exist.
  markNotificationRead: {
    setup: notification,
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'notifications:update',
  },
  getUser: {
    setup: userRecord,
    allowed: ['admin', 'manager'],
    refused: ['user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'embed_tokens:create',
  },
  updateUser: {
    setup: userRecord,
    body: { name: 'Changed by someone' },
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'users:read',
  },
  revokeApiKey: {
    setup: async (db, owner) => {
      const key = await createApiKey(db, owner as never, ['users:read']);
      return { id: key.id, snapshot: () => db('api_keys').where({ id: key.id }).first() };
    },
    allowed: ['admin'],
    refused: ['manager', 'user', 'readonly', 'key-other-scope', 'embed-token'],
    otherScope: 'api_keys:read',
  },
};

/** The concrete path for a record; a second path parameter gets a well-formed unknown id. */
const pathFor = (template: string, id: string) =>
  template.replace('{id}', id).replace('{organisation_id}', '00000000-0000-4000-8000-000000000000');

const recordOperations = new OpenApiValidator().operations.filter((operation) =>
  operation.pathTemplate.includes('{id}'),
);

let app: TestApp;
let headersFor: (who: Who, row: Row) => Promise<Record<string, string>>;
let owner: { id: string };
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
  const roles = await createUsersPerRole(app.db.knex);
  headersFor = async (who, row) => {
    if (who === 'key-other-scope')
      return (await createApiKey(app.db.knex, roles.admin, [row.otherScope])).headers;
    if (who === 'embed-token') {
      const token = embedTokenFor(roles.admin, {
        widgets: ['inbox'],
        subject: { type: 'inbox', id: roles.admin.id },
        origins: [ORIGIN],
      });
      return { Authorization: `Bearer ${token}`, Origin: ORIGIN };
    }
    return roles[who].auth;
  };
  owner = roles.admin;
});
afterAll(() => app.close());

describe('the BOLA matrix', () => {
  it('covers every operation on a record', () => {
    expect(recordOperations.map((operation) => operation.id).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const operation of recordOperations) {
    const row = MATRIX[operation.id];
    if (!row) continue;
    const call = async (who: Who) => {
      const record = await row.setup(app.db.knex, owner);
      const before = await record.snapshot();
      const path = pathFor(operation.pathTemplate, record.id);
      const response = await app.request(operation.method.toUpperCase(), path, {
        headers: await headersFor(who, row),
        body: typeof row.body === 'function' ? row.body(record.id) : row.body,
      });
      return { response, record, before };
    };

    it.each(row.refused)(`${operation.id}: %s is refused and sees nothing`, async (who) => {
      const { response, record, before } = await call(who);
      expect([403, 404]).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      const problemMembers = [
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'request_id',
        'errors',
        'required_permission',
      ];
      expect(Object.keys(response.body).filter((key) => !problemMembers.includes(key))).toEqual([]);
      const stored = JSON.stringify(before);
      for (const value of Object.values(before as Record<string, unknown>)) {
        if (typeof value === 'string' && value.length >= 10 && value !== record.id)
          expect(response.text).not.toContain(value);
      }
      expect(stored.length).toBeGreaterThan(2);
      expect(await record.snapshot()).toEqual(before);
    });

    if (row.allowed.length === 0) continue;
    it.each(row.allowed)(`${operation.id}: %s is allowed`, async (who) => {
      const { response } = await call(who);
      expect(response.status).toBeLessThan(300);
    });

    it(`${operation.id}: no credentials is a 401`, async () => {
      const record = await row.setup(app.db.knex, owner);
      const response = await app.request(
        operation.method.toUpperCase(),
        pathFor(operation.pathTemplate, record.id),
        {
          body: typeof row.body === 'function' ? row.body(record.id) : row.body,
        },
      );
      expect(response.status).toBe(401);
    });
  }
});
