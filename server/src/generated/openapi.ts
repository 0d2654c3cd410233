// DO NOT EDIT: generated from openapi/openapi.yaml by `npm run generate`.
// Edit the spec, then regenerate; `npm test` fails when this file is stale.
/* eslint-disable */

export type $Read<T> = {
    readonly $read: T;
};
export type $Write<T> = {
    readonly $write: T;
};
export type Readable<T> = T extends $Write<any> ? never : T extends $Read<infer U> ? Readable<U> : T extends (infer E)[] ? Readable<E>[] : T extends object ? {
    [K in keyof T as NonNullable<T[K]> extends $Write<any> ? never : K]: Readable<T[K]>;
} : T;
export type Writable<T> = T extends $Read<any> ? never : T extends $Write<infer U> ? Writable<U> : T extends (infer E)[] ? Writable<E>[] : T extends object ? {
    [K in keyof T as NonNullable<T[K]> extends $Read<any> ? never : K]: Writable<T[K]>;
} & {
    [K in keyof T as NonNullable<T[K]> extends $Read<any> ? K : never]?: never;
} : T;
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers 200 as long as the process can serve HTTP. Checks no dependency.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description Checks the dependencies. `status` is `ok` when all are up, `degraded` when an optional one
         *     (Redis) is down or not configured for a multi-instance deployment but the service can still
         *     answer correctly, and `unavailable` (with HTTP 503) when a required one (the database) is down.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API description, as JSON */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive API reference
         * @description A self-contained HTML page (no external assets) rendered from this document.
         */
        get: operations["getApiReference"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Returns an access token (JWT, HS256) to send as `Authorization: Bearer <token>`. An unknown
         *     email and a wrong password get the same 401. Rate-limited per account (failed attempts) and
         *     per client address: past the limit, 429 with `Retry-After`.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout-everywhere": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke every token you hold
         * @description Revokes every access token and embed token signed for the caller until now, on every
         *     device; sign in again for a new one. Changing your password, an admin's password reset and
         *     a deactivation do the same.
         */
        post: operations["logoutEverywhere"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change your own name, time zone or password
         * @description A new `password` needs `current_password`. Role, email and active state are not yours to change.
         */
        patch: operations["updateMe"];
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Requires `users:read` (admins, managers). Ordered by creation, oldest first.
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Create a user
         * @description Requires `users:create` (admins). The password is hashed (argon2id) and never returned.
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Get a user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user
         * @description Requires `users:update`; changing `role` or `active` also requires `users:manage`. Takes
         *     effect at the user's next request. The last active admin cannot be demoted or deactivated (409).
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Keys are listed without their secret, which is shown only once, at creation.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description The response's `key` is shown this once; only its hash is stored. Send it as `X-Api-Key`.
         *     Nobody grants what they do not hold: every scope asked for must be held by the caller
         *     (403 lists those that are not), and at each use a key is refused what its creator no
         *     longer holds. A retry with the same `Idempotency-Key` does not show the key again: it is
         *     answered 409 `secret-not-replayed` with the key's `Location`.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Takes effect at once. Revoking a revoked key succeeds and changes nothing.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an embed token for widgets
         * @description A signed token (≤ 1 h, 15 min by default) a widget sends as `Authorization: Bearer`. It acts
         *     for one user (yourself; an API key names `user_id`), serves the listed widgets, for one
         *     subject, from the listed origins (each must be in the server's `CORS_ORIGINS`). It reaches
         *     only the operations marked for its widgets (`x-embed`). The caller must hold what the
         *     widgets read; acting for another user needs that reach over all records. A retry with the
         *     same `Idempotency-Key` does not show the token again (409 `secret-not-replayed`).
         */
        post: operations["createEmbedToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embed-tokens/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the calling embed token allows
         * @description Lets a widget check its token (widgets, subject, expiry) before rendering.
         */
        get: operations["getCurrentEmbedToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit entries, newest first
         * @description Requires `audit_log:read` (admins). Secret values are never recorded.
         */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List organisations
         * @description Requires `organisations:read`. Keyset-paginated; filters combine with AND.
         */
        get: operations["listOrganisations"];
        put?: never;
        /**
         * Create an organisation
         * @description Requires `organisations:create`. The owner defaults to you; only principals that may update all organisations can name another owner.
         */
        post: operations["createOrganisation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organisations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Get an organisation */
        get: operations["getOrganisation"];
        put?: never;
        post?: never;
        /**
         * Delete or archive an organisation
         * @description Refused with 409 (naming what blocks it, in `blocked_by`) while mandates or interactions point to the organisation; `?archive=true` archives it instead. Links to people are removed with it.
         */
        delete: operations["deleteOrganisation"];
        options?: never;
        head?: never;
        /**
         * Change an organisation
         * @description Requires `organisations:update` (with reach `own`, only records you own or created). Send `If-Match` with the ETag you read to refuse lost updates (412).
         */
        patch: operations["updateOrganisation"];
        trace?: never;
    };
    "/v1/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List people
         * @description Requires `people:read`. Keyset-paginated; filters combine with AND.
         */
        get: operations["listPeople"];
        put?: never;
        /**
         * Create a person
         * @description Requires `people:create`. Emails are unique (case-insensitive): a duplicate is a 409 whose `existing_id` names the person who has it.
         */
        post: operations["createPerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Get a person */
        get: operations["getPerson"];
        put?: never;
        post?: never;
        /**
         * Delete or archive a person
         * @description Refused with 409 while interactions point to the person; `?archive=true` archives instead. Links to organisations are removed with the person.
         */
        delete: operations["deletePerson"];
        options?: never;
        head?: never;
        /**
         * Change a person
         * @description Requires `people:update` (with reach `own`, only records you own or created). Send `If-Match` with the ETag you read to refuse lost updates (412).
         */
        patch: operations["updatePerson"];
        trace?: never;
    };
    "/v1/mandates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List mandates
         * @description Requires `mandates:read`. Keyset-paginated; filters combine with AND.
         */
        get: operations["listMandates"];
        put?: never;
        /**
         * Create a mandate
         * @description Requires `mandates:create`. A new mandate may start in any status (to record existing ones); later changes follow the transitions.
         */
        post: operations["createMandate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mandates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Get a mandate */
        get: operations["getMandate"];
        put?: never;
        post?: never;
        /**
         * Delete a mandate
         * @description Requires `mandates:delete`.
         */
        delete: operations["deleteMandate"];
        options?: never;
        head?: never;
        /**
         * Change a mandate
         * @description Requires `mandates:update` (with reach `own`, only records you own or created). Send `If-Match` with the ETag you read to refuse lost updates (412).
         */
        patch: operations["updateMandate"];
        trace?: never;
    };
    "/v1/people/{id}/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Link a person to an organisation, or change the link
         * @description Requires `people:update`. Creates the link (201) or replaces its role, dates and primary flag (200). Making it primary makes the person’s other links non-primary.
         */
        post: operations["linkPersonOrganisation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}/organisations/{organisation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
                organisation_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a person’s link to an organisation
         * @description Requires `people:update`.
         */
        delete: operations["unlinkPersonOrganisation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List interactions
         * @description Requires `interactions:read`. Keyset-paginated; filters combine with AND.
         */
        get: operations["listInteractions"];
        put?: never;
        /**
         * Log or plan an interaction
         * @description Requires `interactions:create`; assigning someone other than yourself also requires `interactions:assign`, and notifies them. Participants are created with the interaction, in one transaction.
         */
        post: operations["createInteraction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/interactions/recent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest interactions that have happened
         * @description Interactions that occurred up to now, newest first.
         */
        get: operations["listRecentInteractions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/interactions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Get an interaction */
        get: operations["getInteraction"];
        put?: never;
        post?: never;
        /** Delete an interaction */
        delete: operations["deleteInteraction"];
        options?: never;
        head?: never;
        /**
         * Change an interaction
         * @description Requires `interactions:update` (a `user`: only interactions they created or are assigned). Status moves follow the workflow (409 names the allowed moves); changing the assignee requires `interactions:assign`; `participants`, when sent, replaces the whole set; moving `next_action_at` re-arms its reminder. An inbox widget's embed token changes only `status` and `next_action_at` of interactions assigned to its user (mark done, snooze).
         */
        patch: operations["updateInteraction"];
        trace?: never;
    };
    "/v1/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open work, by when it is due
         * @description The open interactions (todo, in progress) assigned to the caller — or to `user_id`, for managers — with counts per bucket in the user's time zone (or `tz`): `overdue` (next action before now), `today` (from now to local midnight), `upcoming` (after local midnight), `no_date`. Sorted by next action, undated last.
         */
        get: operations["getInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /**
         * Everything Relais holds on a person (GDPR Art. 15 access)
         * @description One JSON document with every record that concerns the person: their fields, organisation
         *     links, the mandates of those organisations, the interactions they take part in (with every
         *     participant row of theirs), their email events (with the providers' raw payloads), the
         *     per-message summaries, their lead-score ledger and score, and the audit entries about them.
         *     Requires `personal_data:read`: admins for anyone, others for the people they own or created.
         *     The export itself is recorded in the audit log.
         */
        get: operations["exportPersonalData"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a person (GDPR Art. 17), irreversibly
         * @description Removes the person and every personal field that names them, in one transaction: the person
         *     row, their organisation links, interaction participations, lead-score ledger and score; their
         *     email events and message summaries are kept for campaign counts with the address, the
         *     link, the raw payload and the person removed; their full name, email and phone are replaced
         *     by `[erased]` in every other text (interaction titles and bodies, notes, notifications, audit
         *     changes); replayable responses, search words and cache entries that held them are deleted,
         *     and so are the realtime events that named them. Interactions stay, without them.
         *
         *     The audit log records *that* a person was erased, by whom and when — not who. A salted hash
         *     of the address is kept so that late webhook events for it are dropped, never stored.
         *     Requires `personal_data:delete` (admins). `confirm` must repeat the person's id.
         */
        post: operations["erasePerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Imports, newest first
         * @description Requires `imports:read`; managers see their own imports, admins every import.
         */
        get: operations["listImports"];
        put?: never;
        /**
         * Import a CSV file of people or organisations
         * @description Requires `imports:create` (managers and admins). Send the file as the body
         *     (`Content-Type: text/csv`, up to `IMPORT_BODY_LIMIT`, 50 MB by default; larger files: `npx
         *     relais import`). The file is read as `npx relais import` reads it (UTF-8 or Windows-1252,
         *     `;`, `,` or tab, French and English headers, see docs/import-export.md) by a background job:
         *     poll `GET /v1/imports/{id}` or listen for `import.finished`. The header is checked at once:
         *     a missing required column or a bad `map` is a 400 here, not a failed import.
         */
        post: operations["createImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /**
         * An import and its progress
         * @description Requires `imports:read` (managers, for their own imports). `rows` and the counts grow after every batch of 1,000 rows.
         */
        get: operations["getImport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/{id}/errors": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /**
         * The rows an import rejected, as CSV
         * @description `row,column,reason`, one line per problem; `row` numbers lines as a spreadsheet does (the header is row 1). Empty (the header line only) until the import has finished. Requires `imports:read`.
         */
        get: operations["getImportErrors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export people as CSV or JSON Lines
         * @description Streams every matching record (the filters of `GET /v1/people`, but `q`), in id order, without loading the table in memory. Requires `people:read`. Columns: docs/import-export.md.
         */
        get: operations["exportPeople"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export organisations as CSV or JSON Lines
         * @description Streams every matching record (the filters of `GET /v1/organisations`, but `q`), in id order, without loading the table in memory. Requires `organisations:read`. Columns: docs/import-export.md.
         */
        get: operations["exportOrganisations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export interactions as CSV or JSON Lines
         * @description Streams every matching record (the filters of `GET /v1/interactions`, but `q`), in id order, without loading the table in memory. Requires `interactions:read`. Columns: docs/import-export.md.
         */
        get: operations["exportInteractions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Everything that happened with a person, newest first */
        get: operations["getPersonTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organisations/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /** Everything that happened with an organisation, newest first */
        get: operations["getOrganisationTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your notifications, newest first */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark all your notifications read */
        post: operations["markAllNotificationsRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark one of your notifications read */
        post: operations["markNotificationRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Hot leads, recent interactions and your inbox counts */
        get: operations["getDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recurring jobs and workers: schedule, last runs, failures, heartbeats
         * @description Requires `jobs:read` (admins). Read from the jobs and heartbeat tables, so every instance gives the same answer.
         */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/marketing/email/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive email events signed with Standard Webhooks
         * @description For integrators and internal senders. The body is one `EmailEventInput` or an array of up
         *     to 1,000, signed per [Standard Webhooks](https://www.standardwebhooks.com/): headers
         *     `webhook-id`, `webhook-timestamp` (Unix seconds, within 5 minutes of the server's clock) and
         *     `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several allowed,
         *     space-separated) with a secret of `RELAIS_WEBHOOK_SECRET`. The signature is checked on the
         *     raw bytes before anything is parsed. Events are stored once per `id` (a redelivery is
         *     acknowledged and counted in `duplicates`), the whole batch in one transaction, before the
         *     answer; a 503 means nothing was stored and the delivery should be retried.
         */
        post: operations["ingestEmailEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/marketing/email/ingest/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The provider whose webhook format the body is in. */
                provider: components["schemas"]["EmailProvider"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a provider's own webhook
         * @description Point the provider's event webhook here. How each delivery is authenticated:
         *
         *     | provider | check | configuration |
         *     |---|---|---|
         *     | `sendgrid` | ECDSA signature (`X-Twilio-Email-Event-Webhook-Signature` / `-Timestamp`), 5-minute tolerance | `RELAIS_SENDGRID_PUBLIC_KEY` |
         *     | `mailgun` | HMAC of `timestamp + token` in the body's `signature`, 5-minute tolerance, each token accepted once | `RELAIS_MAILGUN_SIGNING_KEY` |
         *     | `brevo`, `postmark`, `mailjet` | basic-auth credentials in the webhook URL (`https://user:password@host/...`), or `?token=` | `RELAIS_BREVO_CREDENTIAL`, `RELAIS_POSTMARK_CREDENTIAL`, `RELAIS_MAILJET_CREDENTIAL` (`user:password`) |
         *
         *     Events of types Relais does not know are stored as `unknown` and acknowledged. Storage and
         *     answers are as for the generic endpoint.
         */
        post: operations["ingestProviderEmailEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/email-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List email events, newest first
         * @description Requires `email_events:read`. Filters combine with AND.
         */
        get: operations["listEmailEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lead-scores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Hot leads — people by current lead score, highest first
         * @description Requires `lead_scores:read`. Scores decay with time (see `GET /v1/scoring-rules`); the
         *     order is the order of the scores at the moment of the request.
         */
        get: operations["listLeadScores"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{id}/lead-score": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /**
         * A person's score now, its 90-day trend, and the ledger entries that explain it
         * @description Requires `lead_scores:read`. A person with no scored event has score 0 and an empty ledger.
         */
        get: operations["getPersonLeadScore"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scoring-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The lead-scoring rules in force
         * @description Requires `scoring_rules:read`.
         */
        get: operations["getScoringRules"];
        /**
         * Replace the scoring rules (a new version) and rescore everyone
         * @description Requires `scoring_rules:update` (admins). Writes the next version and queues a recompute
         *     that rewrites every ledger under it; follow it with `GET /v1/lead-scores/recompute/{id}`.
         *     Until it finishes, people not yet rescored keep their previous scores.
         */
        put: operations["replaceScoringRules"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lead-scores/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rescore everyone under the rules in force
         * @description Requires `lead_scores:manage` (admins). Runs in the background; poll the returned recompute.
         */
        post: operations["recomputeLeadScores"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lead-scores/recompute/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        /**
         * Progress of a recompute
         * @description Requires `lead_scores:manage`.
         */
        get: operations["getLeadScoreRecompute"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/embed/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web components' module
         * @description `relais-elements.js` is the one-script-tag module of the four web components (cached five
         *     minutes); `relais-elements.json` names its content-hashed URL (`relais-elements.<hash>.js`,
         *     cached for a year) and SRI `integrity`, for pages that pin a version. Any page may load them
         *     (`Access-Control-Allow-Origin: *`): they hold no data.
         */
        get: operations["getEmbedAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description This instance's metrics in the Prometheus text format: HTTP latency by route and status,
         *     webhook events by provider, type and outcome, job runs, failures and durations, cache hits
         *     and misses by prefix, open realtime connections, and the Node.js process. Serve it on the
         *     internal network only (see the operations guide).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your events as Server-Sent Events
         * @description A `text/event-stream` of the events you may see — the same permissions as the REST reads: a
         *     notification reaches its recipient only; an embed token receives only what its widgets show
         *     about its subject. Each event has an `id:`, an `event:` (its type) and `data:` (JSON: `id`,
         *     `type`, `occurred_at`, `data`). A comment line is sent every `REALTIME_HEARTBEAT_SECONDS`.
         *
         *     Resume after a disconnection with `Last-Event-ID` (browsers' `EventSource` sends it on
         *     reconnecting) or `last_event_id`: the events since are replayed first. When some are no
         *     longer kept you receive one `sync.required` event: reload what you show.
         *
         *     Browsers' `EventSource` cannot send headers: pass a short-lived token as `access_token`
         *     (an embed token for widgets), accepted on this operation and `GET /v1/ws` only.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your events over a WebSocket
         * @description The same events as `GET /v1/events`, as JSON text messages (`id`, `type`, `occurred_at`,
         *     `data`), over a WebSocket: open it with `Upgrade: websocket`. Same authentication (headers,
         *     or `access_token` for browsers), same filtering, resume with `last_event_id`. The server
         *     pings every `REALTIME_HEARTBEAT_SECONDS` and closes a socket that does not answer; it closes
         *     with code 1001 when it shuts down. Messages from the client are ignored.
         */
        get: operations["openEventSocket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cache/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cache hit and miss counters
         * @description Hits and misses of the read cache by prefix since this instance started, and whether the
         *     cache is shared (Redis), in-process (no `REDIS_URL`), or bypassed (Redis unreachable).
         */
        get: operations["getCacheStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One event of `GET /v1/events` (its `data:` line) or `GET /v1/ws` (a message). */
        RealtimeEvent: {
            /**
             * @description Increasing; send the last one received as `Last-Event-ID` to resume.
             * @example 1763740800000-0
             */
            id: string;
            /** @enum {string} */
            type: "notification.created" | "interaction.created" | "interaction.updated" | "interaction.deleted" | "lead_score.changed" | "import.finished" | "sync.required";
            /** Format: date-time */
            occurred_at: string;
            /**
             * @description `notification.created`: the notification. `interaction.*`: the interaction as `GET
             *     /v1/interactions/{id}` returns it (only `id` when deleted). `lead_score.changed`:
             *     `person_id`, `score`, `previous_score`, `hot`. `import.finished`: the import as `GET
             *     /v1/imports/{id}` returns it (to its requester, or to every reader of imports when an API
             *     key sent it). `sync.required`: `reason`.
             */
            data: {
                [key: string]: unknown;
            };
        };
        CacheStats: {
            /**
             * @description `redis`: shared by every instance; `memory`: this process only (no `REDIS_URL`); `bypassed`: Redis is unreachable and reads go to the database; `off`: `CACHE_TTL_SECONDS=0`, every read goes to the database.
             * @enum {string}
             */
            mode: "redis" | "memory" | "bypassed" | "off";
            prefixes: {
                [key: string]: {
                    hits: number;
                    misses: number;
                    /** @description Database reads made for misses; concurrent misses on one key share one. */
                    loads: number;
                    bypassed: number;
                    hit_ratio: number | null;
                };
            };
        };
        /** @enum {string} */
        EmailProvider: "sendgrid" | "mailgun" | "brevo" | "postmark" | "mailjet";
        /**
         * @description The normalised type. `unknown` is a provider event Relais does not map (its own name is in
         *     `provider_event`); it is stored, never refused.
         * @enum {string}
         */
        EmailEventType: "sent" | "delivered" | "deferred" | "opened" | "clicked" | "bounced" | "dropped" | "unsubscribed" | "resubscribed" | "spam_complaint" | "failed" | "unknown";
        /** @description One email event in Relais's own format, as an integrator can write it by hand. */
        EmailEventInput: {
            /** @description The event's own id; a second event with the same id is a duplicate and ignored. */
            id: string;
            /**
             * @description One of the `EmailEventType` values; any other name is stored as `unknown`.
             * @example opened
             */
            type: string;
            /**
             * Format: email
             * @description The recipient (matched case-insensitively to a person's email).
             */
            email: string;
            /** Format: date-time */
            occurred_at: string;
            /** @description The message's id at the sender; opens and clicks count once per message. */
            message_id: string;
            campaign?: string | null;
            /** @description The link clicked (for `clicked`). */
            url?: string | null;
            /** @enum {string|null} */
            bounce_type?: "hard" | "soft" | null;
            /** @description The open was made by a privacy proxy or scanner (Apple Mail Privacy Protection), not a person; false when absent. */
            machine_open?: boolean;
        };
        /** @description Everything Relais holds on one person. Rows are given as stored, column by column. */
        PersonalDataExport: {
            /** Format: date-time */
            exported_at: string;
            person: components["schemas"]["ExportRow"];
            /** @description The organisations they are linked to, each with the link (role, primary, dates). */
            organisations: components["schemas"]["ExportRow"][];
            /** @description The mandates of those organisations. */
            mandates: components["schemas"]["ExportRow"][];
            /** @description The interactions they take part in. */
            interactions: components["schemas"]["ExportRow"][];
            /** @description Their participant rows (role in each interaction). */
            participations: components["schemas"]["ExportRow"][];
            /** @description Email events sent to their address, with each provider's raw payload. */
            email_events: components["schemas"]["ExportRow"][];
            /** @description Per-message delivery summaries. */
            email_messages: components["schemas"]["ExportRow"][];
            lead_score: components["schemas"]["ExportRow"] | null;
            /** @description The lead-score ledger, with each entry's reason. */
            lead_score_entries: components["schemas"]["ExportRow"][];
            /** @description Audit entries about them, or whose recorded changes name their email. */
            audit_entries: components["schemas"]["ExportRow"][];
        };
        /** @description One stored row, column by column. */
        ExportRow: {
            [key: string]: unknown;
        };
        ErasureResult: {
            /** Format: date-time */
            erased_at: string;
            /** @description Rows deleted, by table. */
            removed: {
                [key: string]: number;
            };
            /** @description Rows whose personal fields were removed or replaced, by table (and the event stream). */
            redacted: {
                [key: string]: number;
            };
        };
        IngestResult: {
            /** @description Events in the delivery. */
            received: number;
            /** @description Events stored now. */
            stored: number;
            /** @description Events already stored by an earlier delivery (or twice in this one). */
            duplicates: number;
            /** @description Events for the address of an erased person, dropped without being stored (present when not zero). */
            discarded?: number;
        };
        EmailEvent: {
            id: components["schemas"]["Id"];
            /** @description `generic` for events posted in the Relais format. */
            provider: string;
            type: components["schemas"]["EmailEventType"];
            /** @description The provider's own name for the event. */
            provider_event: string;
            recipient: string;
            /**
             * Format: uuid
             * @description The person with this email; null until one exists.
             */
            person_id: string | null;
            message_id: string | null;
            campaign: string | null;
            url: string | null;
            /** @enum {string|null} */
            bounce_type: "hard" | "soft" | null;
            machine_open: boolean;
            occurred_at: components["schemas"]["Timestamp"];
            received_at: components["schemas"]["Timestamp"];
        };
        EmailEventPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["EmailEvent"][];
        };
        TimelineEmailEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "email_event";
            id: components["schemas"]["Id"];
            occurred_at: components["schemas"]["Timestamp"];
            email_event: components["schemas"]["EmailEvent"];
        };
        LeadPerson: {
            id: components["schemas"]["Id"];
            first_name: string;
            last_name: string;
            email: string | null;
            /** Format: uuid */
            owner_id: string | null;
            /** @description The owner's name, to show beside the lead. */
            owner_name: string | null;
        };
        LeadScore: {
            person_id: components["schemas"]["Id"];
            person: components["schemas"]["LeadPerson"];
            /** @description The decayed score now, rounded to 2 decimals. */
            score: number;
            /** @description The score seven days ago (what the ledger held then, decayed to then), for a trend arrow. */
            score_7d_ago: number;
            /** @description The ledger's points before decay. */
            points: number;
            /** @description Ledger entries behind the score. */
            entries: number;
            /** @description The score is at or above the hot threshold. */
            hot: boolean;
            /** Format: date-time */
            last_event_at: string | null;
        };
        LeadScorePage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["LeadScore"][];
        };
        LeadScoreEntry: {
            id: components["schemas"]["Id"];
            event_id: components["schemas"]["Id"];
            rule_key: string;
            rule_version: number;
            points: number;
            occurred_at: components["schemas"]["Timestamp"];
            reason: string;
            /** @description What this entry still adds after decay. */
            score_now: number;
        };
        PersonLeadScore: {
            person_id: components["schemas"]["Id"];
            score: number;
            points: number;
            hot: boolean;
            hot_threshold: number;
            rules_version: number;
            /** Format: date-time */
            last_event_at: string | null;
            /** @description The score at the end of each of the last 90 days (UTC), oldest first, today last. */
            trend: {
                /** Format: date */
                date: string;
                score: number;
            }[];
            /** @description The ledger, newest first. */
            entries: components["schemas"]["LeadScoreEntry"][];
        };
        ScoringRule: {
            /** @description Names the rule in ledger entries; unique within a version. */
            key: string;
            event_type: components["schemas"]["EmailEventType"];
            /**
             * @description For `bounced`, only bounces of this type.
             * @enum {string|null}
             */
            bounce_type?: "hard" | "soft" | null;
            points: number;
            /**
             * @description Only the earliest such event of each message scores.
             * @default false
             */
            first_per_message?: boolean;
            /**
             * @description Opens by privacy proxies and scanners do not score.
             * @default false
             */
            exclude_machine_opens?: boolean;
            /** @description At most this many of the rule's events score per person per UTC day (the earliest). */
            daily_cap?: number | null;
        };
        ScoringRulesInput: {
            rules: components["schemas"]["ScoringRule"][];
            /**
             * @description A point loses half its value after this many days. At least 7: weights grow by one
             *     doubling per half-life since 2025-01-01, and PostgreSQL's numeric carries about 8,000
             *     doublings, so a week's half-life stays in range for over 150 years.
             */
            half_life_days: number;
            /** @description Crossing this score upwards notifies the person's owner. */
            hot_threshold: number;
        };
        ScoringRules: {
            version: number;
            rules: components["schemas"]["ScoringRule"][];
            half_life_days: number;
            hot_threshold: number;
            /** Format: uuid */
            created_by: string | null;
            created_at: components["schemas"]["Timestamp"];
        };
        ScoringRecompute: {
            id: components["schemas"]["Id"];
            rules_version: number;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
            people_total: number | null;
            people_done: number;
            error: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
        };
        ScoringRulesChange: {
            rules: components["schemas"]["ScoringRules"];
            recompute: components["schemas"]["ScoringRecompute"];
        };
        RecurringJob: {
            /** @example reminders.dispatch */
            name: string;
            /** Format: date-time */
            next_run_at: string | null;
            /** Format: date-time */
            last_run_at: string | null;
            /** Format: date-time */
            last_finished_at: string | null;
            /** Format: date-time */
            locked_at: string | null;
            /** Format: date-time */
            failed_at: string | null;
            fail_count: number;
            fail_reason: string | null;
            /** @description How far behind schedule the next run is. */
            lag_seconds: number;
        };
        /** @description A worker process, as its job loop's heartbeat last recorded it. */
        Worker: {
            /** @example relais-worker-1-4127-9f3a */
            name: string;
            hostname: string;
            pid: number;
            /** Format: date-time */
            started_at: string;
            /**
             * Format: date-time
             * @description When its job loop last proved alive.
             */
            beat_at: string;
            /** @description Job runs in progress at the last beat. */
            running: number;
            /** @description Due runs waiting in the database at the last beat. */
            queued: number;
            /** @description The last beat is less than three heartbeat intervals old. */
            alive: boolean;
        };
        JobList: {
            data: components["schemas"]["RecurringJob"][];
            /** @description Worker processes seen in the last day, most recent beat first. */
            workers: components["schemas"]["Worker"][];
        };
        /** @enum {string} */
        InteractionType: "call" | "email" | "meeting" | "video_call" | "note" | "event" | "other";
        /**
         * @description todo ⇄ in_progress → done → todo (reopen); todo or in_progress → cancelled, which only a manager can reopen.
         * @enum {string}
         */
        InteractionStatus: "todo" | "in_progress" | "done" | "cancelled";
        /** @enum {string} */
        InteractionSource: "manual" | "api" | "import" | "email_event";
        /**
         * @default attendee
         * @enum {string}
         */
        ParticipantRole: "organiser" | "attendee" | "sender" | "recipient" | "cc" | "mentioned";
        /** @description Exactly one of `user_id` or `person_id`. */
        ParticipantInput: {
            /**
             * Format: uuid
             * @description An internal participant.
             */
            user_id?: string;
            /**
             * Format: uuid
             * @description An external participant.
             */
            person_id?: string;
            role?: components["schemas"]["ParticipantRole"];
        };
        Participant: {
            id: components["schemas"]["Id"];
            /** Format: uuid */
            user_id: string | null;
            /** Format: uuid */
            person_id: string | null;
            role: components["schemas"]["ParticipantRole"];
            name: string;
        };
        Interaction: {
            id: components["schemas"]["Id"];
            type: components["schemas"]["InteractionType"];
            title: string;
            body: string | null;
            /**
             * Format: date-time
             * @description When it happened (or is planned); now by default.
             */
            occurred_at: string;
            duration_minutes: number | null;
            /** Format: uuid */
            organisation_id: string | null;
            status: components["schemas"]["InteractionStatus"];
            /**
             * Format: uuid
             * @description The user who must act on it.
             */
            assignee_id: string | null;
            /**
             * Format: date-time
             * @description When the assignee must act; in the past is allowed (the interaction is then overdue).
             */
            next_action_at: string | null;
            /** @description Open, with a next action before now. */
            overdue: boolean;
            /** Format: date-time */
            reminder_sent_at: string | null;
            source: components["schemas"]["InteractionSource"];
            participants: components["schemas"]["Participant"][];
            /** Format: uuid */
            created_by: string | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        InteractionCreate: {
            type: components["schemas"]["InteractionType"];
            title: string;
            body?: string | null;
            /**
             * Format: date-time
             * @description When it happened (or is planned); now by default.
             */
            occurred_at?: string;
            duration_minutes?: number | null;
            /** Format: uuid */
            organisation_id?: string | null;
            status?: components["schemas"]["InteractionStatus"];
            /**
             * Format: uuid
             * @description The user who must act on it.
             */
            assignee_id?: string | null;
            /**
             * Format: date-time
             * @description When the assignee must act; in the past is allowed (the interaction is then overdue).
             */
            next_action_at?: string | null;
            /**
             * @description Where it comes from; `manual` for users and `api` for API keys by default. `email_event` is set by the server only.
             * @enum {string}
             */
            source?: "manual" | "api" | "import";
            /** @description The participants; on update, replaces the whole set. */
            participants?: components["schemas"]["ParticipantInput"][];
            id?: $Read<unknown>;
            overdue?: $Read<unknown>;
            reminder_sent_at?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        InteractionUpdate: {
            type?: components["schemas"]["InteractionType"];
            title?: string;
            body?: string | null;
            /**
             * Format: date-time
             * @description When it happened (or is planned); now by default.
             */
            occurred_at?: string;
            duration_minutes?: number | null;
            /** Format: uuid */
            organisation_id?: string | null;
            status?: components["schemas"]["InteractionStatus"];
            /**
             * Format: uuid
             * @description The user who must act on it.
             */
            assignee_id?: string | null;
            /**
             * Format: date-time
             * @description When the assignee must act; in the past is allowed (the interaction is then overdue).
             */
            next_action_at?: string | null;
            /**
             * @description Where it comes from; `manual` for users and `api` for API keys by default. `email_event` is set by the server only.
             * @enum {string}
             */
            source?: "manual" | "api" | "import";
            /** @description The participants; on update, replaces the whole set. */
            participants?: components["schemas"]["ParticipantInput"][];
            id?: $Read<unknown>;
            overdue?: $Read<unknown>;
            reminder_sent_at?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        InteractionPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Interaction"][];
        };
        InboxCounts: {
            overdue: number;
            today: number;
            upcoming: number;
            no_date: number;
            total: number;
        };
        Inbox: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Interaction"][];
            user_id: components["schemas"]["Id"];
            time_zone: string;
            counts: components["schemas"]["InboxCounts"];
        };
        TimelineInteraction: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "interaction";
            id: components["schemas"]["Id"];
            occurred_at: components["schemas"]["Timestamp"];
            interaction: components["schemas"]["Interaction"];
        };
        /** @description One thing that happened; `kind` says which, so a widget can render each kind. */
        TimelineItem: components["schemas"]["TimelineInteraction"] | components["schemas"]["TimelineEmailEvent"];
        TimelinePage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["TimelineItem"][];
        };
        Notification: {
            id: components["schemas"]["Id"];
            user_id: components["schemas"]["Id"];
            /**
             * @example interaction.assigned
             * @example interaction.reminder
             * @example lead.hot
             */
            type: string;
            payload: Record<string, never>;
            /** Format: date-time */
            read_at: string | null;
            created_at: components["schemas"]["Timestamp"];
        };
        Import: {
            id: components["schemas"]["Id"];
            /** @enum {string} */
            resource: "people" | "organisations";
            /**
             * @description `failed`: the file could not be read (`failure` says why); rows rejected one by one do not fail an import.
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed";
            dry_run: boolean;
            /** @description The header mapping sent, header → field. */
            map: {
                [key: string]: string;
            };
            /** @description The file's size. */
            bytes: number;
            /**
             * Format: uuid
             * @description The user who sent it (null for an API key).
             */
            requested_by: string | null;
            /** @description Runs so far; more than one when a worker stopped and another took the import over (rows the first run wrote then count as skipped). */
            attempts: number;
            /** @description Data rows read so far. */
            rows: number;
            created: number;
            updated: number;
            /** @description Rows matching a record they would not change. */
            skipped: number;
            /** @description Problems reported in `GET /v1/imports/{id}/errors` (a row may have several). */
            errors: number;
            /** @description Once finished, how the file was read. */
            report: null | {
                /** @enum {string} */
                encoding: "utf-8" | "windows-1252";
                delimiter: string;
                /** @description Header → field, for the columns read. */
                columns: {
                    [key: string]: string;
                };
                ignored_columns: string[];
            };
            failure: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
        };
        ImportPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Import"][];
        };
        NotificationPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Notification"][];
        };
        ReadAllResult: {
            updated: number;
        };
        Dashboard: {
            /** @description The people with the highest current lead scores at or above the hot threshold. */
            hot_leads: components["schemas"]["LeadScore"][];
            recent_interactions: components["schemas"]["Interaction"][];
            /** @description The caller's inbox counts; null for API keys. */
            inbox_counts: components["schemas"]["InboxCounts"] | null;
        };
        /** @enum {string} */
        OrganisationType: "client" | "prospect" | "partner" | "supplier" | "other";
        Organisation: {
            id: components["schemas"]["Id"];
            name: string;
            type: components["schemas"]["OrganisationType"];
            category: string | null;
            /** @description ISO 3166-1 alpha-2 code, e.g. FR. */
            country: string | null;
            /** Format: uri */
            website: string | null;
            notes: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id: string | null;
            /** Format: uuid */
            created_by: string | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /**
             * Format: date-time
             * @description Set when archived; archived records are hidden from lists by default.
             */
            archived_at: string | null;
        };
        OrganisationCreate: {
            name: string;
            type: components["schemas"]["OrganisationType"];
            category?: string | null;
            /** @description ISO 3166-1 alpha-2 code, e.g. FR. */
            country?: string | null;
            /** Format: uri */
            website?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
            archived_at?: $Read<unknown>;
        };
        OrganisationUpdate: {
            name?: string;
            type?: components["schemas"]["OrganisationType"];
            category?: string | null;
            /** @description ISO 3166-1 alpha-2 code, e.g. FR. */
            country?: string | null;
            /** Format: uri */
            website?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
            archived_at?: $Read<unknown>;
        };
        OrganisationPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Organisation"][];
        };
        Membership: {
            organisation_id: components["schemas"]["Id"];
            organisation_name: string;
            role: string | null;
            is_primary: boolean;
            /** Format: date */
            since: string | null;
            /** Format: date */
            until: string | null;
        };
        Person: {
            id: components["schemas"]["Id"];
            first_name: string;
            last_name: string;
            /**
             * Format: email
             * @description Unique, case-insensitive.
             */
            email: string | null;
            phone: string | null;
            job_title: string | null;
            /** @description BCP 47 language, e.g. fr or fr-FR. */
            language: string | null;
            notes: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id: string | null;
            /** Format: uuid */
            created_by: string | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /** Format: date-time */
            archived_at: string | null;
            /** @description The organisations the person is linked to, primary first. */
            organisations: components["schemas"]["Membership"][];
        };
        PersonCreate: {
            first_name: string;
            last_name: string;
            /**
             * Format: email
             * @description Unique, case-insensitive.
             */
            email?: string | null;
            phone?: string | null;
            job_title?: string | null;
            /** @description BCP 47 language, e.g. fr or fr-FR. */
            language?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
            archived_at?: $Read<unknown>;
            /** @description Link organisations with POST /v1/people/{id}/organisations. */
            organisations?: $Read<unknown>;
        };
        PersonUpdate: {
            first_name?: string;
            last_name?: string;
            /**
             * Format: email
             * @description Unique, case-insensitive.
             */
            email?: string | null;
            phone?: string | null;
            job_title?: string | null;
            /** @description BCP 47 language, e.g. fr or fr-FR. */
            language?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
            archived_at?: $Read<unknown>;
            /** @description Link organisations with POST /v1/people/{id}/organisations. */
            organisations?: $Read<unknown>;
        };
        PersonPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Person"][];
        };
        MembershipInput: {
            organisation_id: components["schemas"]["Id"];
            /** @description e.g. CFO, board member */
            role?: string | null;
            /** @default false */
            is_primary?: boolean;
            /** Format: date */
            since?: string | null;
            /** Format: date */
            until?: string | null;
        };
        /** @enum {string} */
        MandateType: "advisory" | "asset_management" | "mergers_acquisitions" | "financing" | "other";
        /**
         * @description draft → proposed → signed → active → terminated; proposed may go back to draft; any live status may become terminated.
         * @enum {string}
         */
        MandateStatus: "draft" | "proposed" | "signed" | "active" | "terminated";
        Mandate: {
            id: components["schemas"]["Id"];
            organisation_id: components["schemas"]["Id"];
            title: string;
            type: components["schemas"]["MandateType"];
            status: components["schemas"]["MandateStatus"];
            /** Format: date */
            start_date: string | null;
            /** Format: date */
            end_date: string | null;
            notes: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id: string | null;
            /** Format: uuid */
            created_by: string | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        MandateCreate: {
            organisation_id: components["schemas"]["Id"];
            title: string;
            type: components["schemas"]["MandateType"];
            status?: components["schemas"]["MandateStatus"];
            /** Format: date */
            start_date?: string | null;
            /** Format: date */
            end_date?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        MandateUpdate: {
            organisation_id?: components["schemas"]["Id"];
            title?: string;
            type?: components["schemas"]["MandateType"];
            status?: components["schemas"]["MandateStatus"];
            /** Format: date */
            start_date?: string | null;
            /** Format: date */
            end_date?: string | null;
            notes?: string | null;
            /**
             * Format: uuid
             * @description The user responsible for the record.
             */
            owner_id?: string | null;
            id?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        MandatePage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["Mandate"][];
        };
        /**
         * Format: uuid
         * @description An opaque identifier.
         */
        Id: string;
        /** Format: date-time */
        Timestamp: string;
        /**
         * @description `admin` manages users, keys and scoring rules; `manager` edits and reassigns everything; `user` edits what it owns or is assigned; `readonly` reads.
         * @enum {string}
         */
        Role: "admin" | "manager" | "user" | "readonly";
        /** Format: email */
        Email: string;
        /** @description 12 to 256 characters. */
        Password: string;
        /** @description An IANA time zone, such as `Europe/Paris`. */
        TimeZone: string;
        User: {
            id: components["schemas"]["Id"];
            email: components["schemas"]["Email"];
            name: string;
            role: components["schemas"]["Role"];
            /** @description A deactivated user cannot sign in, and their tokens stop working at once. */
            active: boolean;
            time_zone: components["schemas"]["TimeZone"];
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        UserCreate: {
            email: components["schemas"]["Email"];
            name: string;
            role: components["schemas"]["Role"];
            password: components["schemas"]["Password"];
            time_zone?: components["schemas"]["TimeZone"];
            id?: $Read<unknown>;
            /** @description New users are active; deactivate with PATCH. */
            active?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        UserUpdate: {
            email?: components["schemas"]["Email"];
            name?: string;
            role?: components["schemas"]["Role"];
            active?: boolean;
            password?: components["schemas"]["Password"];
            time_zone?: components["schemas"]["TimeZone"];
            id?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        ProfileUpdate: {
            name?: string;
            time_zone?: components["schemas"]["TimeZone"];
            password?: components["schemas"]["Password"];
            current_password?: $Write<string>;
            id?: $Read<unknown>;
            /** @description Only an admin changes an email. */
            email?: $Read<unknown>;
            /** @description Only an admin changes a role. */
            role?: $Read<unknown>;
            active?: $Read<unknown>;
            created_at?: $Read<unknown>;
            updated_at?: $Read<unknown>;
        };
        LoginRequest: {
            email: string;
            password: $Write<string>;
        };
        LoginResponse: {
            access_token: string;
            /** @constant */
            token_type: "Bearer";
            /** @description Seconds until the token expires. */
            expires_in: number;
            user: components["schemas"]["User"];
        };
        /**
         * @description A `resource:action` pair of the permission table (docs/permissions.md).
         * @enum {string}
         */
        Scope: "api_keys:create" | "api_keys:delete" | "api_keys:read" | "audit_log:read" | "cache:read" | "dashboard:read" | "email_events:read" | "embed_tokens:create" | "interactions:assign" | "interactions:create" | "interactions:delete" | "interactions:read" | "interactions:update" | "imports:create" | "imports:read" | "jobs:manage" | "jobs:read" | "lead_scores:manage" | "lead_scores:read" | "mandates:create" | "mandates:delete" | "mandates:read" | "mandates:update" | "marketing:create" | "notifications:read" | "notifications:update" | "organisations:create" | "organisations:delete" | "organisations:read" | "organisations:update" | "people:create" | "people:delete" | "people:read" | "people:update" | "personal_data:delete" | "personal_data:read" | "scoring_rules:read" | "scoring_rules:update" | "users:create" | "users:manage" | "users:read" | "users:update";
        ApiKey: components["schemas"]["ApiKeyFields"];
        ApiKeyFields: {
            id: components["schemas"]["Id"];
            name: string;
            /** @description The key's first characters, to recognise it. */
            prefix: string;
            scopes: components["schemas"]["Scope"][];
            created_by: components["schemas"]["Id"];
            created_at: components["schemas"]["Timestamp"];
            /**
             * Format: date-time
             * @description Updated at most once a minute.
             */
            last_used_at: string | null;
            /** Format: date-time */
            revoked_at: string | null;
        };
        ApiKeyCreated: components["schemas"]["ApiKeyFields"] & {
            /** @description The key itself (`rk_...`). Shown only in this response. */
            key: string;
        };
        ApiKeyCreate: {
            name: string;
            scopes: components["schemas"]["Scope"][];
            id?: $Read<unknown>;
            prefix?: $Read<unknown>;
            created_by?: $Read<unknown>;
            created_at?: $Read<unknown>;
            last_used_at?: $Read<unknown>;
            revoked_at?: $Read<unknown>;
        };
        /** @enum {string} */
        Widget: "timeline" | "inbox" | "lead-score" | "hot-leads";
        EmbedSubject: {
            /** @enum {string} */
            type: "person" | "organisation" | "inbox";
            id: components["schemas"]["Id"];
        };
        EmbedTokenCreate: {
            widgets: components["schemas"]["Widget"][];
            /** @description A person or organisation (with `id`), or `inbox` (the acting user's). */
            subject: {
                /** @enum {string} */
                type: "person" | "organisation" | "inbox";
                id?: components["schemas"]["Id"];
            };
            /** @description Page origins the widget runs on, e.g. `https://intranet.example.com`. */
            origins: string[];
            /** @description Lifetime; the server's default (15 minutes) when omitted. */
            ttl_seconds?: number;
            /** @description The user the widget acts for; required for API keys, yourself otherwise. */
            user_id?: components["schemas"]["Id"];
        };
        EmbedToken: {
            token: string;
            /** @constant */
            token_type: "Bearer";
            expires_in: number;
            expires_at: components["schemas"]["Timestamp"];
            user_id: components["schemas"]["Id"];
            widgets: components["schemas"]["Widget"][];
            subject: components["schemas"]["EmbedSubject"];
            origins: string[];
        };
        EmbedTokenInfo: {
            user_id: components["schemas"]["Id"];
            /** @description The name of the user the widget acts for. */
            user_name: string;
            /** @description That user's time zone, the widgets' default for dates. */
            time_zone: components["schemas"]["TimeZone"];
            widgets: components["schemas"]["Widget"][];
            subject: components["schemas"]["EmbedSubject"];
            origins: string[];
            expires_at: components["schemas"]["Timestamp"];
        };
        AuditEntry: {
            id: components["schemas"]["Id"];
            occurred_at: components["schemas"]["Timestamp"];
            /** @enum {string} */
            principal_type: "user" | "api_key" | "embed" | "system";
            /** Format: uuid */
            principal_id: string | null;
            /** @enum {string} */
            action: "create" | "update" | "delete" | "export" | "erase";
            resource: string;
            /** Format: uuid */
            resource_id: string | null;
            /** @description For a create, the values set; for an update, `{field: {from, to}}`. Secrets appear only as changed. */
            changes: Record<string, never>;
            request_id: string | null;
        };
        UserPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["User"][];
        };
        ApiKeyPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["ApiKey"][];
        };
        AuditEntryPage: components["schemas"]["CursorPage"] & {
            data?: components["schemas"]["AuditEntry"][];
        };
        /**
         * @description An RFC 9457 problem document. `type` is a stable URI per kind of problem; `detail` says what
         *     went wrong with this request and how to fix it; `errors` lists each invalid field.
         */
        Problem: {
            /**
             * Format: uri-reference
             * @example https://relais.invalid/problems/validation
             */
            type: string;
            /** @example Request validation failed */
            title: string;
            status: number;
            detail: string;
            /** @description The path of the request that failed. */
            instance: string;
            request_id: string;
            errors?: components["schemas"]["FieldError"][];
        } & {
            [key: string]: unknown;
        };
        FieldError: {
            /** @enum {string} */
            in: "body" | "query" | "path" | "header";
            /** @description JSON Pointer to the field within its location (`/email`, `/participants/0/role`), or the parameter's name. */
            field: string;
            /** @description What is wrong and what is accepted. */
            message: string;
        };
        /** @description The envelope of every list. Each list narrows `data` to its own item type. */
        CursorPage: {
            data: unknown[];
            /** @description Pass as `cursor` to get the next page; `null` on the last page. */
            next_cursor: string | null;
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        DependencyState: {
            /** @enum {string} */
            status: "ok" | "down" | "not_configured";
            latency_ms?: number;
            detail?: string;
        };
        Readiness: {
            /** @enum {string} */
            status: "ok" | "degraded" | "unavailable";
            checks: {
                database: components["schemas"]["DependencyState"];
                redis: components["schemas"]["DependencyState"];
                jobs?: components["schemas"]["DependencyState"];
            };
        };
    };
    responses: {
        /** @description The request does not match this operation; `errors[]` names each field. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid credential (missing, malformed, expired, revoked, or the user is deactivated). */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                /** @description The authentication scheme to use. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Authenticated, but the role, the key's scopes or the embed token do not allow this. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such record. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change conflicts with the current state. */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The resource changed since the ETag in If-Match; `current_etag` gives the new one. */
        PreconditionFailed: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Well-formed, but cannot be carried out (e.g. an Idempotency-Key reused with another body). */
        Unprocessable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests; retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description An error, as an RFC 9457 problem document. */
        Problem: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description A token for clients that cannot send headers (browsers' `EventSource` and `WebSocket`); prefer a short-lived embed token. Accepted on the realtime operations only. */
        AccessToken: string;
        /** @description Resume after this event id (the `Last-Event-ID` header takes precedence). */
        LastEventIdQuery: string;
        /** @description Resume after this event id; `EventSource` sends it when it reconnects. */
        LastEventIdHeader: string;
        /**
         * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
         *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
         *     key with another body is a 422; a retry while the first still runs is a 409.
         */
        IdempotencyKey: string;
        /** @description Apply the change only if the resource still has this ETag (else 412). */
        IfMatch: string;
        /** @description Answer 304 without a body if the resource still has this ETag. */
        IfNoneMatch: string;
        /** @description The resource's id. */
        IdPath: string;
        /** @description The `next_cursor` of the previous page. Omit for the first page. */
        Cursor: string;
        /** @description Page size. */
        Limit: number;
    };
    requestBodies: never;
    headers: {
        /** @description The request's correlation id (the caller's if it sent a valid one, else generated). */
        XRequestId: string;
        /** @description The version of the resource; send it back in If-Match to change it safely. */
        ETag: string;
        /** @description The URL of the created resource. */
        Location: string;
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to take traffic (possibly degraded). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A required dependency is down; take this instance out of rotation. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        openapi: "3.1.0";
                        info: Record<string, never>;
                        paths: Record<string, never>;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getApiReference: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API reference page. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Problem"];
        };
    };
    logoutEverywhere: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every earlier token is revoked. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    updateMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileUpdate"];
            };
        };
        responses: {
            /** @description The updated profile. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["Problem"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                role?: components["schemas"]["Role"];
                active?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Answer 304 without a body if the resource still has this ETag. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description The updated user. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Only revoked (`true`) or only live (`false`) keys. */
                revoked?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Created; keep `key` now. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    createEmbedToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbedTokenCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbedToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getCurrentEmbedToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token's grants. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbedTokenInfo"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                resource?: string;
                resource_id?: string;
                principal_id?: string;
                action?: "create" | "update" | "delete" | "export" | "erase";
                /** @description Entries at or after this time. */
                occurred_after?: string;
                /** @description Entries before this time. */
                occurred_before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    listOrganisations: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Order of the list: a field, or `-field` for descending. */
                sort?: "name" | "-name" | "created_at" | "-created_at" | "updated_at" | "-updated_at";
                /** @description Search: accent- and case-insensitive substring of the name (and email for people); when nothing contains it, records holding a close word for each of its words (small typos). At least 3 characters. */
                q?: string;
                /** @description One or more types, comma-separated. */
                type?: components["schemas"]["OrganisationType"][];
                /** @description ISO 3166-1 alpha-2 code. */
                country?: string;
                /** @description Exact category. */
                category?: string;
                /** @description Records owned by this user. */
                owner_id?: string;
                /** @description Records changed at or after this time. */
                updated_since?: string;
                /** @description Include archived records. */
                include_archived?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of organisations. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganisationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createOrganisation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganisationCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organisation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["Unprocessable"];
            default: components["responses"]["Problem"];
        };
    };
    getOrganisation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Answer 304 without a body if the resource still has this ETag. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organisation"];
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    deleteOrganisation: {
        parameters: {
            query?: {
                /** @description Archive instead of deleting: always possible, hides the record from lists (see `include_archived`). */
                archive?: boolean;
            };
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted (or archived). */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    updateOrganisation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganisationUpdate"];
            };
        };
        responses: {
            /** @description The updated organisation. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organisation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    listPeople: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Order of the list: a field, or `-field` for descending. */
                sort?: "name" | "-name" | "created_at" | "-created_at" | "updated_at" | "-updated_at";
                /** @description Search: accent- and case-insensitive substring of the name (and email for people); when nothing contains it, records holding a close word for each of its words (small typos). At least 3 characters. */
                q?: string;
                /** @description People linked to this organisation. */
                organisation_id?: string;
                /** @description Exact email (case-insensitive). */
                email?: string;
                /** @description Records owned by this user. */
                owner_id?: string;
                /** @description Records changed at or after this time. */
                updated_since?: string;
                /** @description Include archived records. */
                include_archived?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of people. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createPerson: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PersonCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["Unprocessable"];
            default: components["responses"]["Problem"];
        };
    };
    getPerson: {
        parameters: {
            query?: never;
            header?: {
                /** @description Answer 304 without a body if the resource still has this ETag. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The person. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    deletePerson: {
        parameters: {
            query?: {
                /** @description Archive instead of deleting: always possible, hides the record from lists (see `include_archived`). */
                archive?: boolean;
            };
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted (or archived). */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    updatePerson: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PersonUpdate"];
            };
        };
        responses: {
            /** @description The updated person. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    listMandates: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Order of the list: a field, or `-field` for descending. */
                sort?: "created_at" | "-created_at" | "updated_at" | "-updated_at";
                /** @description Mandates of this organisation. */
                organisation_id?: string;
                /** @description One or more statuses, comma-separated. */
                status?: components["schemas"]["MandateStatus"][];
                /** @description One or more types, comma-separated. */
                type?: components["schemas"]["MandateType"][];
                /** @description Records owned by this user. */
                owner_id?: string;
                /** @description Records changed at or after this time. */
                updated_since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of mandates. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MandatePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createMandate: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MandateCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["Unprocessable"];
            default: components["responses"]["Problem"];
        };
    };
    getMandate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Answer 304 without a body if the resource still has this ETag. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mandate. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    deleteMandate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted (or archived). */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    updateMandate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MandateUpdate"];
            };
        };
        responses: {
            /** @description The updated mandate. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    linkPersonOrganisation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MembershipInput"];
            };
        };
        responses: {
            /** @description The link was updated; the person, with their organisations. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            /** @description The link was created; the person, with their organisations. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["Unprocessable"];
            default: components["responses"]["Problem"];
        };
    };
    unlinkPersonOrganisation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
                organisation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    listInteractions: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Order: a field, or `-field` for descending. */
                sort?: "-occurred_at" | "occurred_at" | "-updated_at" | "updated_at" | "next_action_at" | "-next_action_at";
                /** @description Search in title and body (accent- and case-insensitive substring, at least 3 characters; when nothing contains it, interactions holding a close word for each of its words). */
                q?: string;
                /** @description One or more types, comma-separated. */
                type?: components["schemas"]["InteractionType"][];
                /** @description One or more statuses, comma-separated. */
                status?: components["schemas"]["InteractionStatus"][];
                /** @description One or more sources, comma-separated. */
                source?: components["schemas"]["InteractionSource"][];
                /** @description Assigned to this user. */
                assignee_id?: string;
                /** @description With this person among the participants. */
                person_id?: string;
                /** @description About this organisation. */
                organisation_id?: string;
                /** @description Occurred at or after. */
                occurred_after?: string;
                /** @description Occurred before. */
                occurred_before?: string;
                /** @description Next action at or after. */
                next_action_after?: string;
                /** @description Next action before. */
                next_action_before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of interactions. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InteractionPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createInteraction: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InteractionCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Interaction"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["Unprocessable"];
            default: components["responses"]["Problem"];
        };
    };
    listRecentInteractions: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of interactions. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InteractionPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getInteraction: {
        parameters: {
            query?: never;
            header?: {
                /** @description Answer 304 without a body if the resource still has this ETag. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The interaction. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Interaction"];
                };
            };
            /** @description Not modified. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    deleteInteraction: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    updateInteraction: {
        parameters: {
            query?: never;
            header?: {
                /** @description Apply the change only if the resource still has this ETag (else 412). */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InteractionUpdate"];
            };
        };
        responses: {
            /** @description The updated interaction. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Interaction"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            default: components["responses"]["Problem"];
        };
    };
    getInbox: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Only this bucket. */
                bucket?: "overdue" | "today" | "upcoming" | "no_date";
                /** @description IANA time zone for the day boundaries; the user's own by default. */
                tz?: string;
                /** @description Another user's inbox (managers and admins). */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The inbox. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inbox"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    exportPersonalData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The person's data. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `attachment; filename="relais-person-<id>.json"` */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalDataExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    erasePerson: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uuid
                     * @description The id of the person to erase, repeated, so that an erasure is never a slip.
                     */
                    confirm: string;
                };
            };
        };
        responses: {
            /** @description The person is erased. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    listImports: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                status?: "queued" | "running" | "succeeded" | "failed";
                resource?: "people" | "organisations";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of imports. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    createImport: {
        parameters: {
            query: {
                /** @description What the rows are. */
                resource: "people" | "organisations";
                /** @description Count what would be created, updated and skipped, writing nothing. */
                dry_run?: boolean;
                /** @description Header=field pairs, comma-separated, added to the default header names: `Raison sociale=name,Pays=country`. */
                map?: string;
            };
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description The import, queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Import"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The import. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Import"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getImportErrors: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The error report. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    exportPeople: {
        parameters: {
            query?: {
                /** @description `csv` (default) or `jsonl` (JSON Lines: one object a line). */
                format?: "csv" | "jsonl";
                /** @description CSV for Excel: `;` as separator, CRLF line ends and a byte-order mark. */
                excel?: boolean;
                /** @description People linked to this organisation. */
                organisation_id?: string;
                /** @description Exact email (case-insensitive). */
                email?: string;
                /** @description Records owned by this user. */
                owner_id?: string;
                /** @description Records changed at or after this time. */
                updated_since?: string;
                /** @description Include archived records. */
                include_archived?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `attachment; filename="people-<date>.csv"` (or `.jsonl`) */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    exportOrganisations: {
        parameters: {
            query?: {
                /** @description `csv` (default) or `jsonl` (JSON Lines: one object a line). */
                format?: "csv" | "jsonl";
                /** @description CSV for Excel: `;` as separator, CRLF line ends and a byte-order mark. */
                excel?: boolean;
                /** @description One or more types, comma-separated. */
                type?: components["schemas"]["OrganisationType"][];
                /** @description ISO 3166-1 alpha-2 code. */
                country?: string;
                /** @description Exact category. */
                category?: string;
                /** @description Records owned by this user. */
                owner_id?: string;
                /** @description Records changed at or after this time. */
                updated_since?: string;
                /** @description Include archived records. */
                include_archived?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `attachment; filename="organisations-<date>.csv"` (or `.jsonl`) */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    exportInteractions: {
        parameters: {
            query?: {
                /** @description `csv` (default) or `jsonl` (JSON Lines: one object a line). */
                format?: "csv" | "jsonl";
                /** @description CSV for Excel: `;` as separator, CRLF line ends and a byte-order mark. */
                excel?: boolean;
                /** @description One or more types, comma-separated. */
                type?: components["schemas"]["InteractionType"][];
                /** @description One or more statuses, comma-separated. */
                status?: components["schemas"]["InteractionStatus"][];
                /** @description One or more sources, comma-separated. */
                source?: components["schemas"]["InteractionSource"][];
                /** @description Assigned to this user. */
                assignee_id?: string;
                /** @description With this person among the participants. */
                person_id?: string;
                /** @description About this organisation. */
                organisation_id?: string;
                /** @description Occurred at or after. */
                occurred_after?: string;
                /** @description Occurred before. */
                occurred_before?: string;
                /** @description Next action at or after. */
                next_action_after?: string;
                /** @description Next action before. */
                next_action_before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `attachment; filename="interactions-<date>.csv"` (or `.jsonl`) */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getPersonTimeline: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of timeline items. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelinePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getOrganisationTimeline: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of timeline items. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelinePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Only unread (`true`) or only read (`false`). */
                unread?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notifications. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    markAllNotificationsRead: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many were marked. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadAllResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    markNotificationRead: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dashboard. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dashboard"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    listJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recurring jobs and the worker processes. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    ingestEmailEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description The delivery's id (Standard Webhooks). */
                "webhook-id"?: string;
                /** @description When the delivery was signed, in Unix seconds. */
                "webhook-timestamp"?: string;
                /** @description One or more `v1,<base64>` signatures, space-separated. */
                "webhook-signature"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailEventInput"] | components["schemas"]["EmailEventInput"][];
            };
        };
        responses: {
            /** @description Stored (or already stored); counts of what the delivery held. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["Problem"];
        };
    };
    ingestProviderEmailEvents: {
        parameters: {
            query?: {
                /** @description The configured credential, for providers that cannot send basic auth. */
                token?: string;
            };
            header?: never;
            path: {
                /** @description The provider whose webhook format the body is in. */
                provider: components["schemas"]["EmailProvider"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | unknown[];
            };
        };
        responses: {
            /** @description Stored (or already stored); counts of what the delivery held. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["Problem"];
        };
    };
    listEmailEvents: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Events of this person. */
                person_id?: string;
                /** @description Events of these types (comma-separated). */
                type?: components["schemas"]["EmailEventType"][];
                /** @description Events of this campaign reference. */
                campaign?: string;
                /** @description Events from this provider. */
                provider?: "generic" | "sendgrid" | "mailgun" | "brevo" | "postmark" | "mailjet";
                /** @description Events at or after this instant. */
                occurred_after?: string;
                /** @description Events before this instant. */
                occurred_before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of email events. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailEventPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    listLeadScores: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page. Omit for the first page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description Only people whose current score is at least this. */
                min_score?: number;
                /** @description Only people owned by this user. */
                owner_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of lead scores. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadScorePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getPersonLeadScore: {
        parameters: {
            query?: {
                /** @description How many ledger entries to return, newest first. */
                entries_limit?: number;
            };
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The person's lead score. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonLeadScore"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getScoringRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest version of the rules. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScoringRules"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    replaceScoringRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScoringRulesInput"];
            };
        };
        responses: {
            /** @description The new version, and the recompute it started. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScoringRulesChange"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    recomputeLeadScores: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the POST safe to retry: the first request's response is stored for 24 hours and
                 *     replayed (with `Idempotent-Replayed: true`) for a retry with the same key and body. The same
                 *     key with another body is a 422; a retry while the first still runs is a 409.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recompute, queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScoringRecompute"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    getLeadScoreRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource's id. */
                id: components["parameters"]["IdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recompute and its progress. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScoringRecompute"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getEmbedAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `relais-elements.js`, `relais-elements.json` or `relais-elements.<hash>.js`. */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The module, or its manifest. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "application/json": {
                        version: string;
                        url: string;
                        integrity: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["Problem"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description A token for clients that cannot send headers (browsers' `EventSource` and `WebSocket`); prefer a short-lived embed token. Accepted on the realtime operations only. */
                access_token?: components["parameters"]["AccessToken"];
                /** @description Resume after this event id (the `Last-Event-ID` header takes precedence). */
                last_event_id?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Resume after this event id; `EventSource` sends it when it reconnects. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stream; it stays open until you or the server close it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example id: 1763740800000-0
                     *     event: notification.created
                     *     data: {"id":"1763740800000-0","type":"notification.created","occurred_at":"2026-11-21T16:00:00.000Z","data":{}}
                     */
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
    openEventSocket: {
        parameters: {
            query?: {
                /** @description A token for clients that cannot send headers (browsers' `EventSource` and `WebSocket`); prefer a short-lived embed token. Accepted on the realtime operations only. */
                access_token?: components["parameters"]["AccessToken"];
                /** @description Resume after this event id (the `Last-Event-ID` header takes precedence). */
                last_event_id?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Resume after this event id; `EventSource` sends it when it reconnects. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switched to the WebSocket protocol. */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not a WebSocket upgrade request. */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getCacheStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CacheStats"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["Problem"];
        };
    };
}
