// DO NOT EDIT: generated from openapi/openapi.yaml by `npm run generate`.
// Edit the spec, then regenerate; `npm test` fails when this file is stale.

import type { ApiPromise, Body, CallOptions, PagePromise, PathParams, Query, Result } from '../operations';

/** Every operation the SDK calls by name: `"group.method": "VERB /path kinds"`. */
export const operationTable: Record<string, string> = {
  'system.health': 'GET /health',
  'system.ready': 'GET /ready',
  'auth.login': 'POST /v1/auth/login b',
  'auth.logoutEverywhere': 'POST /v1/auth/logout-everywhere',
  'me.get': 'GET /v1/me',
  'me.update': 'PATCH /v1/me b',
  'users.list': 'GET /v1/users ql',
  'users.create': 'POST /v1/users b',
  'users.get': 'GET /v1/users/{id}',
  'users.update': 'PATCH /v1/users/{id} b',
  'apiKeys.list': 'GET /v1/api-keys ql',
  'apiKeys.create': 'POST /v1/api-keys b',
  'apiKeys.revoke': 'DELETE /v1/api-keys/{id}',
  'embedTokens.create': 'POST /v1/embed-tokens b',
  'embedTokens.current': 'GET /v1/embed-tokens/current',
  'auditLog.list': 'GET /v1/audit-log ql',
  'organisations.list': 'GET /v1/organisations ql',
  'organisations.create': 'POST /v1/organisations b',
  'organisations.get': 'GET /v1/organisations/{id}',
  'organisations.update': 'PATCH /v1/organisations/{id} b',
  'organisations.delete': 'DELETE /v1/organisations/{id} q',
  'people.list': 'GET /v1/people ql',
  'people.create': 'POST /v1/people b',
  'people.get': 'GET /v1/people/{id}',
  'people.update': 'PATCH /v1/people/{id} b',
  'people.delete': 'DELETE /v1/people/{id} q',
  'mandates.list': 'GET /v1/mandates ql',
  'mandates.create': 'POST /v1/mandates b',
  'mandates.get': 'GET /v1/mandates/{id}',
  'mandates.update': 'PATCH /v1/mandates/{id} b',
  'mandates.delete': 'DELETE /v1/mandates/{id}',
  'people.linkOrganisation': 'POST /v1/people/{id}/organisations b',
  'people.unlinkOrganisation': 'DELETE /v1/people/{id}/organisations/{organisation_id}',
  'interactions.list': 'GET /v1/interactions ql',
  'interactions.create': 'POST /v1/interactions b',
  'interactions.recent': 'GET /v1/interactions/recent ql',
  'interactions.get': 'GET /v1/interactions/{id}',
  'interactions.update': 'PATCH /v1/interactions/{id} b',
  'interactions.delete': 'DELETE /v1/interactions/{id}',
  'inbox.list': 'GET /v1/inbox ql',
  'people.exportPersonalData': 'GET /v1/people/{id}/export',
  'people.erase': 'POST /v1/people/{id}/erase b',
  'imports.create': 'POST /v1/imports qb',
  'imports.list': 'GET /v1/imports ql',
  'imports.get': 'GET /v1/imports/{id}',
  'imports.errors': 'GET /v1/imports/{id}/errors',
  'exports.people': 'GET /v1/exports/people q',
  'exports.organisations': 'GET /v1/exports/organisations q',
  'exports.interactions': 'GET /v1/exports/interactions q',
  'people.timeline': 'GET /v1/people/{id}/timeline ql',
  'organisations.timeline': 'GET /v1/organisations/{id}/timeline ql',
  'notifications.list': 'GET /v1/notifications ql',
  'notifications.readAll': 'POST /v1/notifications/read-all',
  'notifications.read': 'POST /v1/notifications/{id}/read',
  'dashboard.get': 'GET /v1/dashboard',
  'jobs.list': 'GET /v1/jobs',
  'emailEvents.ingest': 'POST /v1/marketing/email/ingest b',
  'emailEvents.ingestFromProvider': 'POST /v1/marketing/email/ingest/{provider} b',
  'emailEvents.list': 'GET /v1/email-events ql',
  'leadScores.list': 'GET /v1/lead-scores ql',
  'people.leadScore': 'GET /v1/people/{id}/lead-score q',
  'scoringRules.get': 'GET /v1/scoring-rules',
  'scoringRules.replace': 'PUT /v1/scoring-rules b',
  'leadScores.recompute': 'POST /v1/lead-scores/recompute',
  'leadScores.recomputeStatus': 'GET /v1/lead-scores/recompute/{id}',
  'system.cacheStats': 'GET /v1/cache/stats',
};

/** The operations, grouped as `relais.<group>.<method>(...)`. */
export interface RelaisOperations {
  system: {
    /** Liveness probe (`GET /health`). */
    health(options?: CallOptions): ApiPromise<Result<'getHealth'>>;
    /** Readiness probe (`GET /ready`). */
    ready(options?: CallOptions): ApiPromise<Result<'getReadiness'>>;
    /** Cache hit and miss counters (`GET /v1/cache/stats`). */
    cacheStats(options?: CallOptions): ApiPromise<Result<'getCacheStats'>>;
  };
  auth: {
    /** Sign in with email and password (`POST /v1/auth/login`). */
    login(body: Body<'login'>, options?: CallOptions): ApiPromise<Result<'login'>>;
    /** Revoke every token you hold (`POST /v1/auth/logout-everywhere`). */
    logoutEverywhere(options?: CallOptions): ApiPromise<Result<'logoutEverywhere'>>;
  };
  me: {
    /** The signed-in user (`GET /v1/me`). */
    get(options?: CallOptions): ApiPromise<Result<'getMe'>>;
    /** Change your own name, time zone or password (`PATCH /v1/me`). */
    update(body: Body<'updateMe'>, options?: CallOptions): ApiPromise<Result<'updateMe'>>;
  };
  users: {
    /** List users (`GET /v1/users`). */
    list(query?: Query<'listUsers'>, options?: CallOptions): PagePromise<Result<'listUsers'>>;
    /** Create a user (`POST /v1/users`). */
    create(body: Body<'createUser'>, options?: CallOptions): ApiPromise<Result<'createUser'>>;
    /** Get a user (`GET /v1/users/{id}`). */
    get(id: PathParams<'getUser'>['id'], options?: CallOptions): ApiPromise<Result<'getUser'>>;
    /** Change a user (`PATCH /v1/users/{id}`). */
    update(id: PathParams<'updateUser'>['id'], body: Body<'updateUser'>, options?: CallOptions): ApiPromise<Result<'updateUser'>>;
  };
  apiKeys: {
    /** List API keys (`GET /v1/api-keys`). */
    list(query?: Query<'listApiKeys'>, options?: CallOptions): PagePromise<Result<'listApiKeys'>>;
    /** Create an API key (`POST /v1/api-keys`). */
    create(body: Body<'createApiKey'>, options?: CallOptions): ApiPromise<Result<'createApiKey'>>;
    /** Revoke an API key (`DELETE /v1/api-keys/{id}`). */
    revoke(id: PathParams<'revokeApiKey'>['id'], options?: CallOptions): ApiPromise<Result<'revokeApiKey'>>;
  };
  embedTokens: {
    /** Create an embed token for widgets (`POST /v1/embed-tokens`). */
    create(body: Body<'createEmbedToken'>, options?: CallOptions): ApiPromise<Result<'createEmbedToken'>>;
    /** What the calling embed token allows (`GET /v1/embed-tokens/current`). */
    current(options?: CallOptions): ApiPromise<Result<'getCurrentEmbedToken'>>;
  };
  auditLog: {
    /** List audit entries, newest first (`GET /v1/audit-log`). */
    list(query?: Query<'listAuditLog'>, options?: CallOptions): PagePromise<Result<'listAuditLog'>>;
  };
  organisations: {
    /** List organisations (`GET /v1/organisations`). */
    list(query?: Query<'listOrganisations'>, options?: CallOptions): PagePromise<Result<'listOrganisations'>>;
    /** Create an organisation (`POST /v1/organisations`). */
    create(body: Body<'createOrganisation'>, options?: CallOptions): ApiPromise<Result<'createOrganisation'>>;
    /** Get an organisation (`GET /v1/organisations/{id}`). */
    get(id: PathParams<'getOrganisation'>['id'], options?: CallOptions): ApiPromise<Result<'getOrganisation'>>;
    /** Change an organisation (`PATCH /v1/organisations/{id}`). */
    update(id: PathParams<'updateOrganisation'>['id'], body: Body<'updateOrganisation'>, options?: CallOptions): ApiPromise<Result<'updateOrganisation'>>;
    /** Delete or archive an organisation (`DELETE /v1/organisations/{id}`). */
    delete(id: PathParams<'deleteOrganisation'>['id'], query?: Query<'deleteOrganisation'>, options?: CallOptions): ApiPromise<Result<'deleteOrganisation'>>;
    /** Everything that happened with an organisation, newest first (`GET /v1/organisations/{id}/timeline`). */
    timeline(id: PathParams<'getOrganisationTimeline'>['id'], query?: Query<'getOrganisationTimeline'>, options?: CallOptions): PagePromise<Result<'getOrganisationTimeline'>>;
  };
  people: {
    /** List people (`GET /v1/people`). */
    list(query?: Query<'listPeople'>, options?: CallOptions): PagePromise<Result<'listPeople'>>;
    /** Create a person (`POST /v1/people`). */
    create(body: Body<'createPerson'>, options?: CallOptions): ApiPromise<Result<'createPerson'>>;
    /** Get a person (`GET /v1/people/{id}`). */
    get(id: PathParams<'getPerson'>['id'], options?: CallOptions): ApiPromise<Result<'getPerson'>>;
    /** Change a person (`PATCH /v1/people/{id}`). */
    update(id: PathParams<'updatePerson'>['id'], body: Body<'updatePerson'>, options?: CallOptions): ApiPromise<Result<'updatePerson'>>;
    /** Delete or archive a person (`DELETE /v1/people/{id}`). */
    delete(id: PathParams<'deletePerson'>['id'], query?: Query<'deletePerson'>, options?: CallOptions): ApiPromise<Result<'deletePerson'>>;
    /** Link a person to an organisation, or change the link (`POST /v1/people/{id}/organisations`). */
    linkOrganisation(id: PathParams<'linkPersonOrganisation'>['id'], body: Body<'linkPersonOrganisation'>, options?: CallOptions): ApiPromise<Result<'linkPersonOrganisation'>>;
    /** Remove a person’s link to an organisation (`DELETE /v1/people/{id}/organisations/{organisation_id}`). */
    unlinkOrganisation(id: PathParams<'unlinkPersonOrganisation'>['id'], organisation_id: PathParams<'unlinkPersonOrganisation'>['organisation_id'], options?: CallOptions): ApiPromise<Result<'unlinkPersonOrganisation'>>;
    /** Everything Relais holds on a person (GDPR Art. 15 access) (`GET /v1/people/{id}/export`). */
    exportPersonalData(id: PathParams<'exportPersonalData'>['id'], options?: CallOptions): ApiPromise<Result<'exportPersonalData'>>;
    /** Erase a person (GDPR Art. 17), irreversibly (`POST /v1/people/{id}/erase`). */
    erase(id: PathParams<'erasePerson'>['id'], body: Body<'erasePerson'>, options?: CallOptions): ApiPromise<Result<'erasePerson'>>;
    /** Everything that happened with a person, newest first (`GET /v1/people/{id}/timeline`). */
    timeline(id: PathParams<'getPersonTimeline'>['id'], query?: Query<'getPersonTimeline'>, options?: CallOptions): PagePromise<Result<'getPersonTimeline'>>;
    /** A person's score now, its 90-day trend, and the ledger entries that explain it (`GET /v1/people/{id}/lead-score`). */
    leadScore(id: PathParams<'getPersonLeadScore'>['id'], query?: Query<'getPersonLeadScore'>, options?: CallOptions): ApiPromise<Result<'getPersonLeadScore'>>;
  };
  mandates: {
    /** List mandates (`GET /v1/mandates`). */
    list(query?: Query<'listMandates'>, options?: CallOptions): PagePromise<Result<'listMandates'>>;
    /** Create a mandate (`POST /v1/mandates`). */
    create(body: Body<'createMandate'>, options?: CallOptions): ApiPromise<Result<'createMandate'>>;
    /** Get a mandate (`GET /v1/mandates/{id}`). */
    get(id: PathParams<'getMandate'>['id'], options?: CallOptions): ApiPromise<Result<'getMandate'>>;
    /** Change a mandate (`PATCH /v1/mandates/{id}`). */
    update(id: PathParams<'updateMandate'>['id'], body: Body<'updateMandate'>, options?: CallOptions): ApiPromise<Result<'updateMandate'>>;
    /** Delete a mandate (`DELETE /v1/mandates/{id}`). */
    delete(id: PathParams<'deleteMandate'>['id'], options?: CallOptions): ApiPromise<Result<'deleteMandate'>>;
  };
  interactions: {
    /** List interactions (`GET /v1/interactions`). */
    list(query?: Query<'listInteractions'>, options?: CallOptions): PagePromise<Result<'listInteractions'>>;
    /** Log or plan an interaction (`POST /v1/interactions`). */
    create(body: Body<'createInteraction'>, options?: CallOptions): ApiPromise<Result<'createInteraction'>>;
    /** The latest interactions that have happened (`GET /v1/interactions/recent`). */
    recent(query?: Query<'listRecentInteractions'>, options?: CallOptions): PagePromise<Result<'listRecentInteractions'>>;
    /** Get an interaction (`GET /v1/interactions/{id}`). */
    get(id: PathParams<'getInteraction'>['id'], options?: CallOptions): ApiPromise<Result<'getInteraction'>>;
    /** Change an interaction (`PATCH /v1/interactions/{id}`). */
    update(id: PathParams<'updateInteraction'>['id'], body: Body<'updateInteraction'>, options?: CallOptions): ApiPromise<Result<'updateInteraction'>>;
    /** Delete an interaction (`DELETE /v1/interactions/{id}`). */
    delete(id: PathParams<'deleteInteraction'>['id'], options?: CallOptions): ApiPromise<Result<'deleteInteraction'>>;
  };
  inbox: {
    /** Open work, by when it is due (`GET /v1/inbox`). */
    list(query?: Query<'getInbox'>, options?: CallOptions): PagePromise<Result<'getInbox'>>;
  };
  imports: {
    /** Import a CSV file of people or organisations (`POST /v1/imports`). */
    create(body: Body<'createImport'>, query: Query<'createImport'>, options?: CallOptions): ApiPromise<Result<'createImport'>>;
    /** Imports, newest first (`GET /v1/imports`). */
    list(query?: Query<'listImports'>, options?: CallOptions): PagePromise<Result<'listImports'>>;
    /** An import and its progress (`GET /v1/imports/{id}`). */
    get(id: PathParams<'getImport'>['id'], options?: CallOptions): ApiPromise<Result<'getImport'>>;
    /** The rows an import rejected, as CSV (`GET /v1/imports/{id}/errors`). */
    errors(id: PathParams<'getImportErrors'>['id'], options?: CallOptions): ApiPromise<Result<'getImportErrors'>>;
  };
  exports: {
    /** Export people as CSV or JSON Lines (`GET /v1/exports/people`). */
    people(query?: Query<'exportPeople'>, options?: CallOptions): ApiPromise<Result<'exportPeople'>>;
    /** Export organisations as CSV or JSON Lines (`GET /v1/exports/organisations`). */
    organisations(query?: Query<'exportOrganisations'>, options?: CallOptions): ApiPromise<Result<'exportOrganisations'>>;
    /** Export interactions as CSV or JSON Lines (`GET /v1/exports/interactions`). */
    interactions(query?: Query<'exportInteractions'>, options?: CallOptions): ApiPromise<Result<'exportInteractions'>>;
  };
  notifications: {
    /** Your notifications, newest first (`GET /v1/notifications`). */
    list(query?: Query<'listNotifications'>, options?: CallOptions): PagePromise<Result<'listNotifications'>>;
    /** Mark all your notifications read (`POST /v1/notifications/read-all`). */
    readAll(options?: CallOptions): ApiPromise<Result<'markAllNotificationsRead'>>;
    /** Mark one of your notifications read (`POST /v1/notifications/{id}/read`). */
    read(id: PathParams<'markNotificationRead'>['id'], options?: CallOptions): ApiPromise<Result<'markNotificationRead'>>;
  };
  dashboard: {
    /** Hot leads, recent interactions and your inbox counts (`GET /v1/dashboard`). */
    get(options?: CallOptions): ApiPromise<Result<'getDashboard'>>;
  };
  jobs: {
    /** Recurring jobs and workers: schedule, last runs, failures, heartbeats (`GET /v1/jobs`). */
    list(options?: CallOptions): ApiPromise<Result<'listJobs'>>;
  };
  emailEvents: {
    /** Receive email events signed with Standard Webhooks (`POST /v1/marketing/email/ingest`). */
    ingest(body: Body<'ingestEmailEvents'>, options?: CallOptions): ApiPromise<Result<'ingestEmailEvents'>>;
    /** Receive a provider's own webhook (`POST /v1/marketing/email/ingest/{provider}`). */
    ingestFromProvider(provider: PathParams<'ingestProviderEmailEvents'>['provider'], body: Body<'ingestProviderEmailEvents'>, options?: CallOptions): ApiPromise<Result<'ingestProviderEmailEvents'>>;
    /** List email events, newest first (`GET /v1/email-events`). */
    list(query?: Query<'listEmailEvents'>, options?: CallOptions): PagePromise<Result<'listEmailEvents'>>;
  };
  leadScores: {
    /** Hot leads — people by current lead score, highest first (`GET /v1/lead-scores`). */
    list(query?: Query<'listLeadScores'>, options?: CallOptions): PagePromise<Result<'listLeadScores'>>;
    /** Rescore everyone under the rules in force (`POST /v1/lead-scores/recompute`). */
    recompute(options?: CallOptions): ApiPromise<Result<'recomputeLeadScores'>>;
    /** Progress of a recompute (`GET /v1/lead-scores/recompute/{id}`). */
    recomputeStatus(id: PathParams<'getLeadScoreRecompute'>['id'], options?: CallOptions): ApiPromise<Result<'getLeadScoreRecompute'>>;
  };
  scoringRules: {
    /** The lead-scoring rules in force (`GET /v1/scoring-rules`). */
    get(options?: CallOptions): ApiPromise<Result<'getScoringRules'>>;
    /** Replace the scoring rules (a new version) and rescore everyone (`PUT /v1/scoring-rules`). */
    replace(body: Body<'replaceScoringRules'>, options?: CallOptions): ApiPromise<Result<'replaceScoringRules'>>;
  };
}
