/**
 * An interaction worked as an inbox item: a meeting with one colleague and two contacts, assigned,
 * given a next action, moved through its statuses; then a move the workflow refuses, answered 409
 * with the moves it allows.
 *
 *   npx tsx examples/work-an-interaction.ts
 */
import { RelaisConflictError } from '../sdk/src';
import { print, signIn } from './connect';

const relais = await signIn();
const me = await relais.me.get();
const [first, second] = await relais.people.list({ limit: 2 }).toArray({ limit: 2 });
if (!first || !second) throw new Error('This example needs two people: start with demo data.');

const meeting = await relais.interactions.create({
  type: 'meeting',
  title: 'Quarterly review',
  occurred_at: new Date().toISOString(),
  assignee_id: me.id,
  next_action_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  participants: [
    { user_id: me.id, role: 'organiser' },
    { person_id: first.id, role: 'attendee' },
    { person_id: second.id, role: 'attendee' },
  ],
});
print(`created "${meeting.title}" with ${meeting.participants.map((p) => p.name).join(', ')}`);

const inProgress = await relais.interactions.update(meeting.id, { status: 'in_progress' });
const done = await relais.interactions.update(inProgress.id, { status: 'done' });
print(`status: ${meeting.status} → ${inProgress.status} → ${done.status}`);

try {
  await relais.interactions.update(done.id, { status: 'cancelled' });
} catch (error) {
  if (!(error instanceof RelaisConflictError)) throw error;
  print(`refused (${error.status}): from done, allowed: ${error.allowedTransitions?.join(', ')}`);
}
