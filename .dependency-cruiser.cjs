/**
 * The house's import rules, checked by `npm run check:deps` (part of `npm test`): no import cycle
 * in the server or the SDK; the HTTP framework imported from server/src/http/ only (ADR 0019); and
 * arrows only downwards (docs/architecture.md): http/ on top, then the features, then platform's
 * layers — web (the HTTP edge, framework-blind), runtime (cache, events, jobs), data (the database),
 * core (errors, permissions, principals, logger) — each importing only the layers below it; and
 * features meeting each other at their index.ts only.
 */
const layer = (name, below) => ({
  name: `platform-${name}-imports-below-only`,
  severity: 'error',
  comment: `platform/${name}/ imports only ${below.join(', ')} (and packages): move the shared part down.`,
  from: { path: `^server/src/platform/${name}/` },
  to: {
    path: '^server/src/',
    pathNot: `^server/src/(${below.map((layer) => `platform/${layer}/`).join('|')}|generated/|config\\.ts$|http/types\\.ts$)`,
  },
});
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'A module must not reach itself through its imports: lift the shared part into its own module.',
      from: { path: '^(server|sdk)/src' },
      to: { circular: true },
    },
    {
      name: 'framework-in-http-only',
      severity: 'error',
      comment: 'Only server/src/http/ knows Express; handlers see HttpRequest and HttpReply.',
      from: { path: '^server/src', pathNot: '^server/src/http/' },
      to: { path: 'node_modules/(express|cors|body-parser)/' },
    },
    {
      name: 'http-on-top',
      severity: 'error',
      comment:
        'server/src/http/ assembles the app; below it only its request and reply types are used (type-only imports of http/types.ts).',
      from: { path: '^server/src/', pathNot: '^server/src/(http/|app\\.ts$|main\\.ts$)' },
      to: { path: '^server/src/http/', pathNot: '^server/src/http/types\\.ts$' },
    },
    {
      name: 'http-types-as-types',
      severity: 'error',
      comment: 'http/types.ts is imported with `import type` below http/.',
      from: { path: '^server/src/', pathNot: '^server/src/(http/|app\\.ts$|main\\.ts$)' },
      to: { path: '^server/src/http/types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'features-meet-at-index',
      severity: 'error',
      comment:
        'A feature is used by the others through its index.ts: export what they need there instead of reaching into its files.',
      from: { path: '^server/src/([^/]+)/', pathNot: '^server/src/(platform|generated)/' },
      to: {
        path: '^server/src/[^/]+/',
        pathNot: [
          '^server/src/$1/',
          '^server/src/(platform|generated|http)/',
          '^server/src/[^/]+/index\\.ts$',
        ],
      },
    },
    {
      name: 'people-know-no-marketing',
      severity: 'error',
      comment:
        "Marketing builds on people (its events find their person by address). What people set off in marketing goes through the hook wired in server/src/services.ts (people's WaitingForAddress).",
      from: { path: '^server/src/people/' },
      to: { path: '^server/src/marketing/' },
    },
    layer('core', ['core']),
    layer('data', ['core', 'data']),
    layer('runtime', ['core', 'data', 'runtime']),
    layer('web', ['core', 'data', 'runtime', 'web']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
