/**
 * What an internal mailing tool does: push a signed sent → delivered → opened sequence for one
 * contact to the ingest endpoint (Standard Webhooks), then show what it produced: the lead score
 * before and after, and the email-open interaction on the contact's timeline.
 *
 *   npm run demo:email-events            # against `npm start`, with the demo's generated secret
 *   RELAIS_WEBHOOK_SECRET=whsec_... npx tsx examples/push-email-event.ts
 *
 * The secret is `RELAIS_WEBHOOK_SECRET`, else the one the demo start keeps in
 * `.relais/webhook-secret` (or under `RELAIS_DATA_DIR`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signWebhook } from '../sdk/src';
import { print, signIn } from './connect';

function webhookSecret(): string {
  if (process.env.RELAIS_WEBHOOK_SECRET) return process.env.RELAIS_WEBHOOK_SECRET.split(',')[0]!.trim();
  const file = path.join(process.env.RELAIS_DATA_DIR ?? '.relais', 'webhook-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(
      `No webhook secret: set RELAIS_WEBHOOK_SECRET, or start the demo (npm start) to create ${file}.`,
    );
  }
}

const secret = webhookSecret();
const relais = await signIn();
const people = await relais.people.list({ limit: 50 }).toArray({ limit: 50 });
const person = people.find((candidate) => candidate.email);
if (!person?.email) throw new Error('This example needs a person with an email: start with demo data.');
const before = await relais.people.leadScore(person.id);

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

const after = await relais.people.leadScore(person.id);
print(
  `${person.first_name} ${person.last_name}: score ${before.score} → ${after.score}${after.hot ? ' (hot)' : ''}`,
);
const recent = await relais.people.timeline(person.id, { limit: 10 }).toArray({ limit: 10 });
for (const item of recent) {
  if (item.kind === 'interaction' && item.interaction.title.includes('example-newsletter'))
    print(`interaction: ${item.interaction.title}`);
}
