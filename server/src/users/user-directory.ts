/**
 * Who a user is, for authentication on every request — cached in process, and exact: the
 * `users_changed` trigger NOTIFYs each change at commit and every instance LISTENs and drops its
 * copy; the instance that made a change drops it at once. While the LISTEN connection is down the
 * cache is bypassed, so a missed notification can never serve a stale role or a deactivated user.
 */
import pg from 'pg';
import type { Logger } from '../platform/core/logger';
import type { Knex } from '../platform/data/db';
import { findUserCredential, type User, type UserCredential } from './user-repository';

const CHANNEL = 'relais_user_changed';
const MAX_ENTRIES = 10_000;
/** An upper bound on staleness even if a notification were lost while connected. */
const TTL_MS = 60_000;

export class UserDirectory {
  private readonly entries = new Map<string, { credential: UserCredential | null; at: number }>();
  private listener: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** Bumped by every eviction: a read that overlapped one is not cached. */
  private generation = 0;

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
  ) {}

  /** The user, from cache when it can be trusted, else from the database. */
  async find(id: string): Promise<User | null> {
    return (await this.findCredential(id))?.user ?? null;
  }

  /** The user with their current token version, as authentication checks it. */
  async findCredential(id: string): Promise<UserCredential | null> {
    if (this.listening) {
      const cached = this.entries.get(id);
      if (cached && Date.now() - cached.at < TTL_MS) return cached.credential;
    }
    const generation = this.generation;
    const startedListening = this.listening;
    const credential = await findUserCredential(this.db, id);
    // Cache only if no change was announced, and none could have been missed, while reading.
    if (startedListening && this.listening && generation === this.generation) this.remember(id, credential);
    return credential;
  }

  /** Drops a user's cached copy; called after a change commits. */
  evict(id: string): void {
    this.generation += 1;
    this.entries.delete(id);
  }

  /** Starts listening for changes. Never throws: without a listener the cache stays off. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const connection = (this.db.client as { config: { connection: pg.ClientConfig } }).config.connection;
    const client = new pg.Client(connection);
    client.on('notification', (message) => {
      if (message.payload) this.evict(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      this.entries.clear();
      this.listening = true;
    } catch (error) {
      this.lost(client, error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.listening = false;
    await this.listener?.end().catch(() => undefined);
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.listener !== null && this.listener !== client) return;
    this.listening = false;
    this.listener = null;
    this.generation += 1;
    this.entries.clear();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'user change listener lost; cache off until it is back',
    );
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.start(), 1_000);
    this.retry.unref();
  }

  private remember(id: string, credential: UserCredential | null): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { credential, at: Date.now() });
  }
}
