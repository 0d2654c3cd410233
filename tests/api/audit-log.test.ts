import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

describe('the audit log', () => {
  it('records a creation with who did it and the request id, never the password', async () => {
    const created = await app.request('POST', '/v1/users', {
      headers: { ...admin.auth, 'X-Request-Id': 'audit-create-1' },
      body: {
        email: 'audited@example.com',
        name: 'Audited',
        role: 'user',
        password: 'secret-password-value',
      },
    });
    const log = await app.request('GET', `/v1/audit-log?resource=users&resource_id=${created.body.id}`, {
      headers: admin.auth,
    });
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({
      action: 'create',
      principal_type: 'user',
      principal_id: admin.id,
      request_id: 'audit-create-1',
      changes: { email: 'audited@example.com', role: 'user', password: '[redacted]' },
    });
    expect(log.text).not.toContain('secret-password-value');
  });

  it('records an update as from/to per changed field, and a password change as changed only', async () => {
    const target = await createUser(app.db.knex, { role: 'user' });
    await app.request('PATCH', `/v1/users/${target.id}`, {
      headers: admin.auth,
      body: { role: 'manager', name: target.name, password: 'another-secret-value' },
    });
    const log = await app.request('GET', `/v1/audit-log?resource_id=${target.id}&action=update`, {
      headers: admin.auth,
    });
    expect(log.body.data[0].changes).toEqual({
      role: { from: 'user', to: 'manager' },
      password: { changed: true },
    });
    expect(log.text).not.toContain('another-secret-value');
  });

  it('cannot be rewritten, even by the database user', async () => {
    await expect(app.db.knex('audit_log').update({ action: 'delete' })).rejects.toThrow(/append-only/);
    await expect(app.db.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });

  it('lets an erasure rewrite what entries recorded, and nothing else', async () => {
    const erasing = (work: (trx: typeof app.db.knex) => Promise<unknown>) =>
      app.db.knex.transaction(async (trx) => {
        await trx.raw("SELECT set_config('relais.erasure', 'on', true)");
        return work(trx);
      });
    const [entry] = await app.db.knex('audit_log').limit(1);
    await expect(erasing((trx) => trx('audit_log').update({ action: 'delete' }))).rejects.toThrow(
      /append-only/,
    );
    await expect(erasing((trx) => trx('audit_log').where({ id: entry.id }).delete())).rejects.toThrow(
      /append-only/,
    );
    await expect(
      erasing((trx) =>
        trx('audit_log')
          .where({ id: entry.id })
          .update({ changes: JSON.stringify({ erased: true }) }),
      ),
    ).resolves.toBe(1);
    // The setting lasts for its transaction only.
    await expect(
      app.db
        .knex('audit_log')
        .where({ id: entry.id })
        .update({ changes: JSON.stringify({}) }),
    ).rejects.toThrow(/append-only/);
  });

  it('is for admins only', async () => {
    const manager = await createUser(app.db.knex, { role: 'manager' });
    expect((await app.request('GET', '/v1/audit-log', { headers: manager.auth })).status).toBe(403);
  });
});
