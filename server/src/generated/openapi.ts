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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
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
        /** @description The `next_cursor` of the previous page. Omit for the first page. */
        Cursor: string;
        /** @description Page size. */
        Limit: number;
    };
    requestBodies: never;
    headers: {
        /** @description The request's correlation id (the caller's if it sent a valid one, else generated). */
        XRequestId: string;
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
}
