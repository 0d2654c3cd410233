/**
 * An enum is one set of lower-case strings everywhere: the database CHECK constraint, the spec,
 * the server's constants, the JSON, and the SDK's generated types — no conversion layer.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { components } from '../../sdk/src';
import {
  INTERACTION_SOURCES,
  INTERACTION_STATUSES,
  INTERACTION_TYPES,
} from '../../server/src/interactions/interaction-repository';
import { openApiDocument } from '../../server/src/platform/web/openapi';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const specEnum = (name: string) =>
  (openApiDocument.components.schemas?.[name] as { enum?: string[] } | undefined)?.enum;

async function checkValues(constraint: string): Promise<string[]> {
  const { rows } = await db.knex.raw<{ rows: { definition: string }[] }>(
    'SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = ?',
    [constraint],
  );
  return [...(rows[0]?.definition ?? '').matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!);
}

describe('interaction enums', () => {
  it.each([
    ['interactions_type_check', 'InteractionType', INTERACTION_TYPES],
    ['interactions_status_check', 'InteractionStatus', INTERACTION_STATUSES],
    ['interactions_source_check', 'InteractionSource', INTERACTION_SOURCES],
  ] as const)('%s, the spec’s %s and the server agree', async (constraint, schema, constants) => {
    expect(await checkValues(constraint)).toEqual([...constants]);
    expect(specEnum(schema)).toEqual([...constants]);
  });

  it('the SDK types are exactly those strings', () => {
    expectTypeOf<components['schemas']['InteractionStatus']>().toEqualTypeOf<
      (typeof INTERACTION_STATUSES)[number]
    >();
    expectTypeOf<components['schemas']['InteractionType']>().toEqualTypeOf<
      (typeof INTERACTION_TYPES)[number]
    >();
    expectTypeOf<components['schemas']['InteractionSource']>().toEqualTypeOf<
      (typeof INTERACTION_SOURCES)[number]
    >();
  });

  it('a value read from the database is the JSON value and the SDK value', async () => {
    const [row] = await db
      .knex('interactions')
      .insert({ type: 'video_call', title: 't', occurred_at: new Date(), status: 'in_progress' })
      .returning(['type', 'status']);
    const json = JSON.parse(JSON.stringify(row)) as Pick<
      components['schemas']['Interaction'],
      'type' | 'status'
    >;
    expect(json).toEqual({ type: 'video_call', status: 'in_progress' });
  });
});
