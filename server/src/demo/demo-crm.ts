/**
 * A realistic French finance book of business: a few hundred organisations (banks, family
 * offices, asset managers, industrial clients), about a thousand people with their links, and
 * mandates in every status. Seeded, so every install gets the same data.
 */
import { fakerFR as faker } from '@faker-js/faker';
import type { Knex } from '../platform/data/db';

const ORGANISATIONS = 300;
const PEOPLE = 1_000;
const CATEGORIES = [
  'Banque privée',
  'Family office',
  'Gestion d’actifs',
  'Assurance',
  'Industrie',
  'Immobilier',
  'Fonds de pension',
  'Private equity',
];
const SUFFIXES = [
  'Gestion',
  'Capital',
  'Patrimoine',
  'Finance',
  'Partenaires',
  'Holding',
  'Investissements',
  'Conseil',
];
const COUNTRIES = ['FR', 'FR', 'FR', 'FR', 'FR', 'BE', 'LU', 'CH', 'MC'];
const JOB_TITLES = [
  'Directeur financier',
  'Directrice générale',
  'Trésorier',
  'Responsable des investissements',
  'Président',
  'Gérante',
  'Associé',
  'Chargée d’affaires',
  'Family officer',
  'Directeur juridique',
];
const ROLES = ['CFO', 'CEO', 'Board member', 'Treasurer', 'Investment officer', 'Partner', 'Legal counsel'];
const MANDATE_TYPES = ['advisory', 'asset_management', 'mergers_acquisitions', 'financing', 'other'] as const;
const MANDATE_STATUSES = ['draft', 'proposed', 'signed', 'active', 'active', 'terminated'] as const;
/** Names with accents, so search by `helene` or `dupre` finds something in the demo. */
const ACCENTED = [
  ['Hélène', 'Dupré'],
  ['Zoé', 'Lefèvre'],
  ['Jérôme', 'Bézier'],
  ['Maël', 'Côté'],
  ['Noémie', 'Ménard'],
];

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();

export async function loadDemoCrm(
  db: Knex,
  userIds: string[],
): Promise<{ organisations: number; people: number; mandates: number }> {
  faker.seed(20261121);
  const pick = <T>(items: readonly T[]) => items[faker.number.int(items.length - 1)]!;

  const organisations = Array.from({ length: ORGANISATIONS }, () => {
    const owner = pick(userIds);
    const name = `${faker.person.lastName()} ${pick(SUFFIXES)}`;
    return {
      name: faker.datatype.boolean(0.3) ? `${name} ${pick(['SA', 'SAS', 'SCA', 'SARL'])}` : name,
      type: pick(['client', 'client', 'client', 'prospect', 'prospect', 'partner', 'supplier', 'other']),
      category: pick(CATEGORIES),
      country: pick(COUNTRIES),
      website: `https://www.${ascii(name)}.fr`,
      notes: faker.datatype.boolean(0.3) ? faker.lorem.sentence() : null,
      owner_id: owner,
      created_by: owner,
    };
  });
  const organisationIds = await insertReturningIds(db, 'organisations', organisations);

  const used = new Set<string>();
  const people = Array.from({ length: PEOPLE }, (_, index) => {
    const [first, last] = ACCENTED[index] ?? [faker.person.firstName(), faker.person.lastName()];
    let email = `${ascii(first!)}.${ascii(last!)}@${ascii(faker.company.name()).slice(0, 12)}.fr`;
    while (used.has(email)) email = email.replace('@', `${faker.number.int(9)}@`);
    used.add(email);
    const owner = pick(userIds);
    return {
      first_name: first,
      last_name: last,
      email,
      phone: faker.phone.number(),
      job_title: pick(JOB_TITLES),
      language: pick(['fr', 'fr', 'fr', 'en', 'de', 'nl']),
      owner_id: owner,
      created_by: owner,
    };
  });
  const personIds = await insertReturningIds(db, 'people', people);

  const links = personIds.flatMap((personId) => {
    const count = faker.number.int({ min: 1, max: 2 });
    const chosen = faker.helpers.arrayElements(organisationIds, count);
    return chosen.map((organisationId, index) => ({
      person_id: personId,
      organisation_id: organisationId,
      role: pick(ROLES),
      is_primary: index === 0,
      since: faker.date.past({ years: 10 }).toISOString().slice(0, 10),
    }));
  });
  await insertReturningIds(db, 'person_organisations', links, 'person_id');

  const mandates = organisationIds.flatMap((organisationId) =>
    Array.from({ length: faker.number.int({ min: 0, max: 2 }) }, () => {
      const start = faker.date.between({ from: '2022-01-01', to: '2027-06-30' });
      const owner = pick(userIds);
      return {
        organisation_id: organisationId,
        title: `${pick(['Refinancement', 'Cession', 'Gestion sous mandat', 'Levée de fonds', 'Conseil stratégique'])} ${start.getFullYear()}`,
        type: pick(MANDATE_TYPES),
        status: pick(MANDATE_STATUSES),
        start_date: start.toISOString().slice(0, 10),
        owner_id: owner,
        created_by: owner,
      };
    }),
  );
  await insertReturningIds(db, 'mandates', mandates);
  return { organisations: organisations.length, people: people.length, mandates: mandates.length };
}

async function insertReturningIds(db: Knex, table: string, rows: object[], column = 'id'): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const inserted = await db(table)
      .insert(rows.slice(start, start + 500))
      .returning(column);
    ids.push(...inserted.map((row: Record<string, string>) => row[column]!));
  }
  return ids;
}
