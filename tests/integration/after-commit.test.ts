/**
 * Events and cache invalidations wait for the commit: none on rollback, all before `transaction`
 * returns, also from nested transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/platform/core/logger';
import { transaction } from '../../server/src/platform/data/after-commit';
import { ReadCache } from '../../server/src/platform/runtime/cache';
import { EventBus, type PublishedEvent } from '../../server/src/platform/runtime/events';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const logger = createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
let db: TestDatabase;
let bus: EventBus;
let cache: ReadCache;
const received: PublishedEvent[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  bus = new EventBus({ redis: null, logger });
  bus.subscribe((event) => received.push(event));
  cache = new ReadCache({ redis: null, logger, ttlSeconds: 60, timeoutMs: 50 });
});
afterAll(() => db.drop());

const event = (type: string) => ({ type, data: {}, audience: { resource: 'people' as const } });

describe('after-commit work', () => {
  it('publishes nothing when the transaction rolls back, even from a nested one', async () => {
    received.length = 0;
    await expect(
      transaction(db.knex, async (trx) => {
        await bus.publish(trx, event('outer'));
        await trx.transaction(async (nested) => bus.publish(nested, event('nested')));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
  });

  it('publishes after the commit and before transaction() returns, in order', async () => {
    received.length = 0;
    let seenInside = -1;
    await transaction(db.knex, async (trx) => {
      await bus.publish(trx, event('first'));
      await trx.transaction(async (nested) => bus.publish(nested, event('second')));
      seenInside = received.length;
    });
    expect(seenInside).toBe(0);
    expect(received.map((item) => item.type)).toEqual(['first', 'second']);
  });

  it('invalidates the cache only once committed', async () => {
    let loads = 0;
    const read = () => cache.read('test', 'key', ['thing'], async () => ++loads);
    expect(await read()).toBe(1);
    await expect(
      transaction(db.knex, async (trx) => {
        await cache.invalidate(trx, ['thing']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    expect(await read()).toBe(1);
    await transaction(db.knex, (trx) => cache.invalidate(trx, ['thing']));
    expect(await read()).toBe(2);
  });
});
