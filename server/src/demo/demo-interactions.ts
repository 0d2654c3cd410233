/**
 * Two years of relationship work for the demo book: a few thousand calls, emails and meetings
 * with their participants, and for each demo user an inbox with overdue items, items due today
 * and next actions in the coming days.
 */
import { fakerFR as faker } from '@faker-js/faker';
import type { Knex } from '../platform/data/db';

const HISTORY = 3_000;
const OPEN_PER_USER = 24;
const DAY = 86_400_000;
const TITLES: Record<string, string[]> = {
  call: ['Appel de suivi', 'Point trimestriel', 'Appel sur la trésorerie', 'Relance proposition'],
  email: ['Envoi de la proposition', 'Compte rendu de réunion', 'Documents KYC', 'Réponse à la demande'],
  meeting: ['Revue annuelle', 'Déjeuner', 'Présentation de la stratégie', 'Comité d’investissement'],
  video_call: ['Visio de lancement', 'Point d’étape en visio'],
  note: ['Note interne', 'Compte rendu', 'Mémo'],
  event: ['Conférence marchés', 'Petit-déjeuner clients'],
};
const TYPES = Object.keys(TITLES);

export async function loadDemoInteractions(
  db: Knex,
  userIds: string[],
  now: Date,
): Promise<{ interactions: number; participants: number }> {
  faker.seed(20261122);
  const pick = <T>(items: readonly T[]) => items[faker.number.int(items.length - 1)]!;
  const people = (await db('people').select('id')).map((row) => row.id as string);
  const organisations = (await db('organisations').select('id')).map((row) => row.id as string);
  if (!people.length || !organisations.length || !userIds.length) return { interactions: 0, participants: 0 };

  const rows: Record<string, unknown>[] = [];
  for (let index = 0; index < HISTORY; index += 1) {
    const type = pick(TYPES);
    const occurred = new Date(
      now.getTime() - faker.number.int({ min: 0, max: 730 }) * DAY - faker.number.int(DAY),
    );
    rows.push({
      type,
      title: pick(TITLES[type]!),
      body: faker.lorem.sentences({ min: 1, max: 3 }),
      occurred_at: occurred,
      duration_minutes: type === 'note' || type === 'email' ? null : pick([15, 30, 45, 60, 90]),
      organisation_id: pick(organisations),
      status: faker.datatype.boolean(0.9) ? 'done' : 'cancelled',
      created_by: pick(userIds),
      source: 'manual',
    });
  }
  for (const userId of userIds) {
    for (let index = 0; index < OPEN_PER_USER; index += 1) {
      // A third overdue, a few due today, the rest in the coming two weeks, some undated.
      const offsetHours =
        index < 8
          ? -faker.number.int({ min: 2, max: 240 })
          : index < 11
            ? faker.number.int({ min: 1, max: 8 })
            : faker.number.int({ min: 24, max: 336 });
      const type = pick(['call', 'email', 'meeting'] as const);
      rows.push({
        type,
        title: `${pick(TITLES[type]!)} — à faire`,
        occurred_at: new Date(now.getTime() - faker.number.int({ min: 1, max: 30 }) * DAY),
        organisation_id: pick(organisations),
        status: index % 5 === 0 ? 'in_progress' : 'todo',
        assignee_id: userId,
        next_action_at: index >= OPEN_PER_USER - 3 ? null : new Date(now.getTime() + offsetHours * 3_600_000),
        created_by: pick(userIds),
        source: 'manual',
      });
    }
  }

  let participants = 0;
  for (let start = 0; start < rows.length; start += 500) {
    const inserted = await db('interactions')
      .insert(rows.slice(start, start + 500))
      .returning(['id', 'occurred_at', 'created_by']);
    const links = inserted.flatMap((interaction) => {
      const persons = faker.helpers.arrayElements(people, faker.number.int({ min: 1, max: 3 }));
      return [
        {
          interaction_id: interaction.id,
          user_id: interaction.created_by,
          role: 'organiser',
          occurred_at: interaction.occurred_at,
        },
        ...persons.map((person_id) => ({
          interaction_id: interaction.id,
          person_id,
          role: 'attendee',
          occurred_at: interaction.occurred_at,
        })),
      ];
    });
    await db('interaction_participants').insert(links);
    participants += links.length;
  }
  return { interactions: rows.length, participants };
}
