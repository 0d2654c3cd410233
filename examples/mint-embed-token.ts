/**
 * Server side of an embedded widget: mint a short-lived token for one widget, one subject and one
 * page origin, then read with it as the widget would.
 *
 *   npx tsx examples/mint-embed-token.ts [https://intranet.example.com]
 */
import { createRelaisClient } from '../sdk/src';
import { baseUrl, print, signIn } from './connect';

const origin = process.argv[2] ?? 'http://localhost:8080';
const relais = await signIn();
const [person] = await relais.people.list({ limit: 1 }).toArray({ limit: 1 });
if (!person) throw new Error('This example needs a person: start with demo data.');

const embed = await relais.embedTokens.create({
  widgets: ['timeline', 'lead-score'],
  subject: { type: 'person', id: person.id },
  origins: [origin],
  ttl_seconds: 600,
});
print(
  `embed token for ${embed.widgets.join(' + ')} of ${person.first_name} ${person.last_name}, until ${embed.expires_at}`,
);

const widget = createRelaisClient({ baseUrl, token: embed.token, headers: { Origin: origin } });
const timeline = await widget.people.timeline(person.id, { limit: 5 });
print(`the widget reads ${timeline.data.length} timeline entries`);
