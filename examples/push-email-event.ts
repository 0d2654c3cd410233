/**
 * What an internal mailing tool does: push a signed sent → delivered → opened sequence for one
 * contact to the ingest endpoint (Standard Webhooks), then read the lead score it produced.
 * Needs the server's webhook secret in `RELAIS_WEBHOOK_SECRET`.
 *
 *   RELAIS_WEBHOOK_SECRET=whsec_... npx tsx examples/push-email-event.ts
 */
import { randomUUID } from 'node:crypto';
import { signWebhook } from '../sdk/src';
import { print, signIn } from './connect';

const secret = process.env.RELAIS_WEBHOOK_SECRET;
if (!secret) throw new Error('Set RELAIS_WEBHOOK_SECRET to the secret the server accepts.');

const relais = await signIn();
const person = (await relais.people.list({ limit: 20 }).toArray({ limit: 20 })).find((p) => p.email);
if (!person?.email) throw new Error('This example needs a person with an email: start with demo data.');

const messageId = `example-${randomUUID()}`;
const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1_000).toISOString();
const events = (['sent', 'delivered', 'opened'] as const).map((type, index) => ({
  id: randomUUID(),
  type,
  email: person.email as string,
  occurred_at: at(30 - index * 10),
  message_id: messageId,
  campaign: 'example-newsletter',
}));
// The body the SDK sends is JSON.stringify(body): sign exactly that.
const headers = await signWebhook({ secret, payload: JSON.stringify(events) });
const result = await relais.emailEvents.ingest(events, { headers: { ...headers } });
print(`ingested: ${JSON.stringify(result)}`);

const score = await relais.people.leadScore(person.id);
print(`${person.first_name} ${person.last_name}: score ${score.score}${score.hot ? ' (hot)' : ''}`);
