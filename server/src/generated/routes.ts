// DO NOT EDIT: generated from openapi/openapi.yaml by `npm run generate`.
// Edit the spec, then regenerate; `npm test` fails when this file is stale.

/** The operation each route serves: `"<method> <path in the spec>": operationId`. */
export interface RouteOperations {
  'get /health': 'getHealth';
  'get /ready': 'getReadiness';
  'get /openapi.json': 'getOpenApiDocument';
  'get /docs': 'getApiReference';
  'post /v1/auth/login': 'login';
  'post /v1/auth/logout-everywhere': 'logoutEverywhere';
  'get /v1/me': 'getMe';
  'patch /v1/me': 'updateMe';
  'get /v1/users': 'listUsers';
  'post /v1/users': 'createUser';
  'get /v1/users/{id}': 'getUser';
  'patch /v1/users/{id}': 'updateUser';
  'get /v1/api-keys': 'listApiKeys';
  'post /v1/api-keys': 'createApiKey';
  'delete /v1/api-keys/{id}': 'revokeApiKey';
  'post /v1/embed-tokens': 'createEmbedToken';
  'get /v1/embed-tokens/current': 'getCurrentEmbedToken';
  'get /v1/audit-log': 'listAuditLog';
  'get /v1/organisations': 'listOrganisations';
  'post /v1/organisations': 'createOrganisation';
  'get /v1/organisations/{id}': 'getOrganisation';
  'patch /v1/organisations/{id}': 'updateOrganisation';
  'delete /v1/organisations/{id}': 'deleteOrganisation';
  'get /v1/people': 'listPeople';
  'post /v1/people': 'createPerson';
  'get /v1/people/{id}': 'getPerson';
  'patch /v1/people/{id}': 'updatePerson';
  'delete /v1/people/{id}': 'deletePerson';
  'get /v1/mandates': 'listMandates';
  'post /v1/mandates': 'createMandate';
  'get /v1/mandates/{id}': 'getMandate';
  'patch /v1/mandates/{id}': 'updateMandate';
  'delete /v1/mandates/{id}': 'deleteMandate';
  'post /v1/people/{id}/organisations': 'linkPersonOrganisation';
  'delete /v1/people/{id}/organisations/{organisation_id}': 'unlinkPersonOrganisation';
  'get /v1/interactions': 'listInteractions';
  'post /v1/interactions': 'createInteraction';
  'get /v1/interactions/recent': 'listRecentInteractions';
  'get /v1/interactions/{id}': 'getInteraction';
  'patch /v1/interactions/{id}': 'updateInteraction';
  'delete /v1/interactions/{id}': 'deleteInteraction';
  'get /v1/inbox': 'getInbox';
  'get /v1/people/{id}/export': 'exportPersonalData';
  'post /v1/people/{id}/erase': 'erasePerson';
  'post /v1/imports': 'createImport';
  'get /v1/imports': 'listImports';
  'get /v1/imports/{id}': 'getImport';
  'get /v1/imports/{id}/errors': 'getImportErrors';
  'get /v1/exports/people': 'exportPeople';
  'get /v1/exports/organisations': 'exportOrganisations';
  'get /v1/exports/interactions': 'exportInteractions';
  'get /v1/people/{id}/timeline': 'getPersonTimeline';
  'get /v1/organisations/{id}/timeline': 'getOrganisationTimeline';
  'get /v1/notifications': 'listNotifications';
  'post /v1/notifications/read-all': 'markAllNotificationsRead';
  'post /v1/notifications/{id}/read': 'markNotificationRead';
  'get /v1/dashboard': 'getDashboard';
  'get /v1/jobs': 'listJobs';
  'post /v1/marketing/email/ingest': 'ingestEmailEvents';
  'post /v1/marketing/email/ingest/{provider}': 'ingestProviderEmailEvents';
  'get /v1/email-events': 'listEmailEvents';
  'get /v1/lead-scores': 'listLeadScores';
  'get /v1/people/{id}/lead-score': 'getPersonLeadScore';
  'get /v1/scoring-rules': 'getScoringRules';
  'put /v1/scoring-rules': 'replaceScoringRules';
  'post /v1/lead-scores/recompute': 'recomputeLeadScores';
  'get /v1/lead-scores/recompute/{id}': 'getLeadScoreRecompute';
  'get /embed/{file}': 'getEmbedAsset';
  'get /metrics': 'getMetrics';
  'get /v1/events': 'streamEvents';
  'get /v1/ws': 'openEventSocket';
  'get /v1/cache/stats': 'getCacheStats';
}

/** Query parameters the spec gives a default, by operation: validated requests always have them. */
export interface QueryDefaults {
  listUsers: 'limit';
  listApiKeys: 'limit';
  listAuditLog: 'limit';
  listOrganisations: 'limit' | 'sort' | 'include_archived';
  deleteOrganisation: 'archive';
  listPeople: 'limit' | 'sort' | 'include_archived';
  deletePerson: 'archive';
  listMandates: 'limit' | 'sort';
  listInteractions: 'limit' | 'sort';
  listRecentInteractions: 'limit';
  getInbox: 'limit';
  createImport: 'dry_run';
  listImports: 'limit';
  exportPeople: 'format' | 'excel' | 'include_archived';
  exportOrganisations: 'format' | 'excel' | 'include_archived';
  exportInteractions: 'format' | 'excel';
  getPersonTimeline: 'limit';
  getOrganisationTimeline: 'limit';
  listNotifications: 'limit';
  listEmailEvents: 'limit';
  listLeadScores: 'limit';
  getPersonLeadScore: 'entries_limit';
}
