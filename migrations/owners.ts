/**
 * One owner per table: the feature (a folder of `server/src`) whose code writes it and answers for
 * its rows. Another feature names a table in its SQL only where this list says so — as a reader
 * (what it shows or checks), or as a writer with the reason — and otherwise calls the owner's
 * operations through its `index.ts`. `tests/unit/table-owners.test.ts` reads the server's SQL and
 * fails on a table named outside this list, on a listed use that no longer exists, and on a table
 * of the migrations without an owner.
 */
export interface TableOwnership {
  owner: string;
  /** Features that read the table in their own SQL. */
  readers?: readonly string[];
  /** Features that also write it, and why that cannot go through the owner. */
  writers?: Readonly<Record<string, string>>;
}

/**
 * Features that may write any table: erasure removes or anonymises a person wherever they appear
 * (GDPR Art. 17), in one transaction, finding the tables and their text columns in the catalogue.
 */
export const WRITES_EVERY_TABLE: Readonly<Record<string, string>> = {
  privacy: 'erasure reaches every table that can hold a person (GDPR Art. 17), read from the catalogue',
};

const DEMO = 'seeds the demo book in bulk, once, on an empty database';
const IMPORT = 'set-based CSV upsert: a batch of records and their audit entries in one statement';

export const TABLE_OWNERS: Readonly<Record<string, TableOwnership>> = {
  users: { owner: 'users', readers: ['interactions', 'platform', 'scoring', 'demo'] },
  api_keys: { owner: 'api-keys' },
  audit_log: { owner: 'audit', writers: { imports: IMPORT } },
  organisations: {
    owner: 'organisations',
    readers: ['people', 'mandates', 'interactions', 'exports', 'platform'],
    writers: { imports: IMPORT, demo: DEMO },
  },
  people: {
    owner: 'people',
    readers: ['interactions', 'marketing', 'scoring', 'platform', 'demo', 'cli'],
    writers: { imports: IMPORT, demo: DEMO },
  },
  person_organisations: {
    owner: 'people',
    readers: ['organisations', 'interactions', 'marketing', 'exports'],
    writers: { imports: IMPORT, demo: DEMO },
  },
  mandates: { owner: 'mandates', readers: ['organisations'], writers: { demo: DEMO } },
  idempotency_keys: { owner: 'platform' },
  relais_meta: { owner: 'platform' },
  interactions: { owner: 'interactions', readers: ['demo'], writers: { demo: DEMO } },
  interaction_participants: { owner: 'interactions', writers: { demo: DEMO } },
  email_open_interactions: { owner: 'interactions' },
  notifications: { owner: 'notifications' },
  email_events: { owner: 'marketing', readers: ['interactions', 'scoring'] },
  email_messages: { owner: 'marketing' },
  webhook_replay_tokens: { owner: 'marketing' },
  scoring_rules: { owner: 'scoring' },
  lead_score_entries: { owner: 'scoring' },
  lead_scores: { owner: 'scoring', readers: ['demo'] },
  scoring_recomputes: { owner: 'scoring' },
  search_words: { owner: 'platform' },
  search_words_dropped: { owner: 'platform' },
  backups: { owner: 'backups' },
  worker_heartbeats: { owner: 'platform' },
  erased_emails: { owner: 'privacy' },
  imports: { owner: 'imports' },
};
