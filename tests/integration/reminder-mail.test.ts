/**
 * Reminder emails through a real SMTP server (smtp-server, in-process on a free port): sent to the
 * assignee after the batch commits, none for inactive users, and a dead SMTP server costs the
 * email only — the notification stands.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDueReminders } from '../../server/src/interactions';
import { reminderEmails } from '../../server/src/interactions/interaction-jobs';
import { createLogger } from '../../server/src/platform/core/logger';
import { createMailer, type Mailer } from '../../server/src/platform/runtime/mailer';
import { serviceDeps } from '../../server/src/platform/runtime/service-deps';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createInteraction, createUser } from '../helpers/factories';

const received: { to: string[]; data: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    let data = '';
    stream.on('data', (chunk: Buffer) => {
      data += chunk.toString();
    });
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((address) => address.address), data });
      callback();
    });
  },
});
const logger = createLogger({ logLevel: 'silent' });
let db: TestDatabase;
let mailer: Mailer;

beforeAll(async () => {
  db = await createTestDatabase();
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Relais <relais@example.com>' })!;
});
afterAll(async () => {
  mailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await db.drop();
});

describe('reminder emails', () => {
  it('is off without SMTP_URL', () => {
    expect(createMailer({ smtpUrl: null, from: 'x' })).toBeNull();
  });

  it('emails each due reminder to its active assignee once the batch has committed', async () => {
    const active = await createUser(db.knex, { email: 'assignee@example.com' });
    const inactive = await createUser(db.knex, { email: 'gone@example.com', active: false });
    const due = new Date(Date.now() - 60_000);
    await createInteraction(db.knex, {
      assignee_id: active.id,
      next_action_at: due,
      title: 'Call Hélène back',
    });
    await createInteraction(db.knex, {
      assignee_id: inactive.id,
      next_action_at: due,
      title: 'Nobody reads this',
    });
    const sent = await dispatchDueReminders(serviceDeps(db.knex), {
      batchSize: 10,
      afterBatch: reminderEmails(db.knex, mailer, logger),
    });
    expect(sent).toBe(2);
    expect(received.map((mail) => mail.to)).toEqual([['assignee@example.com']]);
    expect(received[0]!.data).toMatch(/^Subject: .*Reminder.*$/m);
    expect(received[0]!.data).toContain('From: Relais <relais@example.com>');
    expect(
      await dispatchDueReminders(serviceDeps(db.knex), {
        batchSize: 10,
        afterBatch: reminderEmails(db.knex, mailer, logger),
      }),
    ).toBe(0);
    expect(received).toHaveLength(1);
  });

  it('keeps the notification when the SMTP server is unreachable', async () => {
    const user = await createUser(db.knex);
    const item = await createInteraction(db.knex, {
      assignee_id: user.id,
      next_action_at: new Date(Date.now() - 1_000),
    });
    const unreachable = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'x@example.com' })!;
    try {
      expect(
        await dispatchDueReminders(serviceDeps(db.knex), {
          batchSize: 10,
          afterBatch: reminderEmails(db.knex, unreachable, logger),
        }),
      ).toBe(1);
    } finally {
      unreachable.close();
    }
    const notification = await db
      .knex('notifications')
      .where({ type: 'interaction.reminder', user_id: user.id })
      .whereRaw("payload->>'interaction_id' = ?", [item.id]);
    expect(notification).toHaveLength(1);
  });
});
