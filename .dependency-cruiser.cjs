/**
 * The house's import rules, checked by `npm run check:deps` (part of `npm test`):
 * no import cycle in the server or the SDK, and the HTTP framework imported from server/src/http/
 * only (docs/architecture.md, ADR 0019).
 */
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
