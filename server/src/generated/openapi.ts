// DO NOT EDIT: generated from openapi/openapi.yaml by `npm run generate`.
// Edit the spec, then regenerate; `npm test` fails when this file is stale.
/* eslint-disable */

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
         *     only the operations marked for its widgets (`x-embed`).
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
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
            readonly id?: unknown;
            /** @description New users are active; deactivate with PATCH. */
            readonly active?: unknown;
            readonly created_at?: unknown;
            readonly updated_at?: unknown;
        };
        UserUpdate: {
            email?: components["schemas"]["Email"];
            name?: string;
            role?: components["schemas"]["Role"];
            active?: boolean;
            password?: components["schemas"]["Password"];
            time_zone?: components["schemas"]["TimeZone"];
            readonly id?: unknown;
            readonly created_at?: unknown;
            readonly updated_at?: unknown;
        };
        ProfileUpdate: {
            name?: string;
            time_zone?: components["schemas"]["TimeZone"];
            password?: components["schemas"]["Password"];
            current_password?: string;
            readonly id?: unknown;
            /** @description Only an admin changes an email. */
            readonly email?: unknown;
            /** @description Only an admin changes a role. */
            readonly role?: unknown;
            readonly active?: unknown;
            readonly created_at?: unknown;
            readonly updated_at?: unknown;
        };
        LoginRequest: {
            email: string;
            password: string;
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
        Scope: "api_keys:create" | "api_keys:delete" | "api_keys:read" | "audit_log:read" | "dashboard:read" | "email_events:read" | "embed_tokens:create" | "interactions:assign" | "interactions:create" | "interactions:delete" | "interactions:read" | "interactions:update" | "jobs:manage" | "jobs:read" | "lead_scores:manage" | "lead_scores:read" | "mandates:create" | "mandates:delete" | "mandates:read" | "mandates:update" | "marketing:create" | "notifications:read" | "notifications:update" | "organisations:create" | "organisations:delete" | "organisations:read" | "organisations:update" | "people:create" | "people:delete" | "people:read" | "people:update" | "scoring_rules:read" | "scoring_rules:update" | "users:create" | "users:manage" | "users:read" | "users:update";
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
            readonly id?: unknown;
            readonly prefix?: unknown;
            readonly created_by?: unknown;
            readonly created_at?: unknown;
            readonly last_used_at?: unknown;
            readonly revoked_at?: unknown;
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
            action: "create" | "update" | "delete";
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
            header?: never;
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
            header?: never;
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
            default: components["responses"]["Problem"];
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
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
            header?: never;
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
            header?: never;
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
                action?: "create" | "update" | "delete";
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
}
