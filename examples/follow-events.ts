/**
 * Follow your events as they happen: subscribe, cause one (a note), read it from the stream, and
 * stop (a `break` closes the connection).
 *
 *   npx tsx examples/follow-events.ts
 */
import { print, signIn } from './connect';

const relais = await signIn();
const stream = relais.events.subscribe({ types: ['interaction.created'] });

const title = `Note ${new Date().toISOString()}`;
const writing = setInterval(() => void relais.interactions.create({ type: 'note', title }), 1_000);
for await (const event of stream) {
  if (event.type === 'sync.required') continue;
  print(`${event.type}: ${String(event.data.title)} (event ${event.id})`);
  if (event.data.title === title) break;
}
clearInterval(writing);
