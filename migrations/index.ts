/**
 * The ordered list of migrations. Knex reads them from here rather than from the file system so
 * that the server bundle carries them and TypeScript needs no loader at run time.
 *
 * Rules: one concern per file; schema changes apart from data backfills; never edit a migration
 * that has shipped — add a new one. File name = migration name, `NNNN-concern`.
 */
import type { Knex } from 'knex';
import * as extensions from './0001-extensions';
import * as users from './0002-users';
import * as apiKeys from './0003-api-keys';
import * as auditLog from './0004-audit-log';
import * as searchFunction from './0005-search-function';
import * as organisations from './0006-organisations';
import * as people from './0007-people';
import * as personOrganisations from './0008-person-organisations';
import * as mandates from './0009-mandates';
import * as idempotencyKeys from './0010-idempotency-keys';
import * as meta from './0011-meta';
import * as usersNotify from './0012-users-notify';
import * as interactions from './0013-interactions';
import * as interactionParticipants from './0014-interaction-participants';
import * as notifications from './0015-notifications';
import * as participantsByInteraction from './0016-participants-by-interaction';
import * as emailEvents from './0017-email-events';
import * as emailMessages from './0018-email-messages';
import * as scoringRules from './0019-scoring-rules';
import * as leadScoreEntries from './0020-lead-score-entries';
import * as leadScores from './0021-lead-scores';
import * as emailOpenInteractions from './0022-email-open-interactions';
import * as scoringRecomputes from './0023-scoring-recomputes';
import * as webhookReplayTokens from './0024-webhook-replay-tokens';
import * as searchWords from './0025-search-words';
import * as searchWordsDropped from './0026-search-words-dropped';
import * as userTokenVersion from './0027-user-token-version';
import * as idempotencySecretWithheld from './0028-idempotency-secret-withheld';
import * as usersKnownTimeZones from './0029-users-known-time-zones';
import * as backups from './0030-backups';
import * as workerHeartbeats from './0031-worker-heartbeats';
import * as erasures from './0032-erasures';
import * as importMatching from './0033-import-matching';
import * as imports from './0034-imports';
import * as searchWordsInlined from './0035-search-words-inlined';
import * as refusedStatements from './0036-refused-statements';
import * as timeOrderedIds from './0037-time-ordered-ids';
import * as emailEventStatistics from './0038-email-event-statistics';
import * as emailMessagesUnlinked from './0039-email-messages-unlinked';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-extensions', extensions],
  ['0002-users', users],
  ['0003-api-keys', apiKeys],
  ['0004-audit-log', auditLog],
  ['0005-search-function', searchFunction],
  ['0006-organisations', organisations],
  ['0007-people', people],
  ['0008-person-organisations', personOrganisations],
  ['0009-mandates', mandates],
  ['0010-idempotency-keys', idempotencyKeys],
  ['0011-meta', meta],
  ['0012-users-notify', usersNotify],
  ['0013-interactions', interactions],
  ['0014-interaction-participants', interactionParticipants],
  ['0015-notifications', notifications],
  ['0016-participants-by-interaction', participantsByInteraction],
  ['0017-email-events', emailEvents],
  ['0018-email-messages', emailMessages],
  ['0019-scoring-rules', scoringRules],
  ['0020-lead-score-entries', leadScoreEntries],
  ['0021-lead-scores', leadScores],
  ['0022-email-open-interactions', emailOpenInteractions],
  ['0023-scoring-recomputes', scoringRecomputes],
  ['0024-webhook-replay-tokens', webhookReplayTokens],
  ['0025-search-words', searchWords],
  ['0026-search-words-dropped', searchWordsDropped],
  ['0027-user-token-version', userTokenVersion],
  ['0028-idempotency-secret-withheld', idempotencySecretWithheld],
  ['0029-users-known-time-zones', usersKnownTimeZones],
  ['0030-backups', backups],
  ['0031-worker-heartbeats', workerHeartbeats],
  ['0032-erasures', erasures],
  ['0033-import-matching', importMatching],
  ['0034-imports', imports],
  ['0035-search-words-inlined', searchWordsInlined],
  ['0036-refused-statements', refusedStatements],
  ['0037-time-ordered-ids', timeOrderedIds],
  ['0038-email-event-statistics', emailEventStatistics],
  ['0039-email-messages-unlinked', emailMessagesUnlinked],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
