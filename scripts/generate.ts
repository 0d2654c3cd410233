/**
 * Generates the code that comes from `openapi/openapi.yaml`:
 * - `server/src/generated/openapi-document.ts` — the document itself, bundled into the server;
 * - `server/src/generated/openapi.ts` and `sdk/src/generated/openapi.ts` — TypeScript types
 *   (openapi-typescript);
 * - `server/src/generated/routes.ts` — the operation behind each route and the query parameters
 *   the spec gives a default, from which route handlers get their typed requests;
 * - `sdk/src/generated/operations.ts` — the SDK's operations by name (`relais.people.list(...)`),
 *   from each operation's `x-sdk-method` (see `operationsFile`);
 * - `docs/permissions.md` — the permission table, from `server/src/platform/core/permissions.ts`;
 * - `docs/table-owners.md` — who owns, reads and writes each table, from `migrations/owners.ts`.
 *
 * `npm run generate` writes them; `npm run generate -- --check` (and the test suite) fail when
 * the committed files differ from what the spec produces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { TABLE_OWNERS, WRITES_EVERY_TABLE } from '../migrations/owners';
import { permissionsMarkdown } from '../server/src/platform/core/permissions';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specPath = path.join(root, 'openapi/openapi.yaml');

const HEADER = `// DO NOT EDIT: generated from openapi/openapi.yaml by \`npm run generate\`.
// Edit the spec, then regenerate; \`npm test\` fails when this file is stale.
`;

/** Returns every generated file (path relative to the repository root → contents). */
export async function generateFiles(): Promise<Map<string, string>> {
  const yamlText = await readFile(specPath, 'utf8');
  const document = parse(yamlText);
  const types = astToString(
    await openapiTS(document, { defaultNonNullable: false, alphabetize: false, readWriteMarkers: true }),
  );
  const typesFile = `${HEADER}/* eslint-disable */\n\n${types}`;
  const documentFile = `${HEADER}\n// biome-ignore format: generated\nexport const openApiDocumentJson: unknown = ${JSON.stringify(document)};\n`;
  return new Map([
    ['server/src/generated/openapi-document.ts', documentFile],
    ['server/src/generated/openapi.ts', typesFile],
    ['sdk/src/generated/openapi.ts', typesFile],
    ['sdk/src/generated/operations.ts', operationsFile(document)],
    ['server/src/generated/routes.ts', routesFile(document)],
    ['docs/permissions.md', permissionsMarkdown()],
    ['docs/table-owners.md', tableOwnersMarkdown()],
  ]);
}

interface SpecParameter {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  schema?: { default?: unknown };
}
interface SpecOperation {
  operationId: string;
  summary?: string;
  'x-sdk-method'?: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean };
}
type SpecDocument = {
  paths: Record<string, Record<string, SpecOperation | SpecParameter[]>>;
  components: { parameters: Record<string, SpecParameter> };
};

/**
 * The SDK's operations by name. Each operation names its method in the spec (`x-sdk-method:
 * people.timeline`); the rule for choosing names is in docs/sdk.md. A method takes the path
 * parameters in path order, then the body (JSON, or a file for a `text/csv` body), then the query
 * (when there is no body, or when a query parameter is required), then call options;
 * an operation with a `cursor` parameter returns a `PagePromise` (awaitable page, iterable items).
 * The runtime table is one short string per method: `"GET /v1/people ql"` (q: query, b: body,
 * l: cursor list).
 */
function operationsFile(document: SpecDocument): string {
  const groups = new Map<string, string[]>();
  const table: string[] = [];
  for (const { route, method, op, params } of operationsOf(document)) {
    const name = op['x-sdk-method'];
    if (!name) continue;
    const [group, member] = name.split('.');
    if (!group || !member)
      throw new Error(`${op.operationId}: x-sdk-method must be "group.method", not "${name}"`);
    const query = params.filter((p) => p.in === 'query');
    const list = query.some((p) => p.name === 'cursor');
    const body = op.requestBody !== undefined;
    // A body and a required query (an import's CSV file and its resource): both are arguments.
    const bodyAndQuery = body && query.some((p) => p.required);
    const kind = `${(!body || bodyAndQuery) && query.length ? 'q' : ''}${body ? 'b' : ''}${list ? 'l' : ''}`;
    table.push(`  '${name}': '${method.toUpperCase()} ${route}${kind ? ` ${kind}` : ''}',`);
    const id = `'${op.operationId}'`;
    const args = [...route.matchAll(/\{(\w+)\}/g)].map(([, p]) => `${p}: PathParams<${id}>['${p}']`);
    if (body) args.push(`body${op.requestBody?.required ? '' : '?'}: Body<${id}>`);
    if ((!body || bodyAndQuery) && query.length)
      args.push(`query${query.some((p) => p.required) ? '' : '?'}: Query<${id}>`);
    args.push('options?: CallOptions');
    const returns = list ? `PagePromise<Result<${id}>>` : `ApiPromise<Result<${id}>>`;
    const doc = `    /** ${op.summary ?? op.operationId} (\`${method.toUpperCase()} ${route}\`). */`;
    const members = groups.get(group) ?? [];
    members.push(`${doc}\n    ${member}(${args.join(', ')}): ${returns};`);
    groups.set(group, members);
  }
  const groupTypes = [...groups].map(([group, members]) => `  ${group}: {\n${members.join('\n')}\n  };`);
  return `${HEADER}
import type { ApiPromise, Body, CallOptions, PagePromise, PathParams, Query, Result } from '../operations';

/** Every operation the SDK calls by name: \`"group.method": "VERB /path kinds"\`. */
export const operationTable: Record<string, string> = {
${table.join('\n')}
};

/** The operations, grouped as \`relais.<group>.<method>(...)\`. */
export interface RelaisOperations {
${groupTypes.join('\n')}
}
`;
}

/** Every operation with its route and its parameters, `$ref`s resolved. */
function operationsOf(
  document: SpecDocument,
): Array<{ route: string; method: string; op: SpecOperation; params: SpecParameter[] }> {
  const found = [];
  for (const [route, item] of Object.entries(document.paths)) {
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [method, value] of Object.entries(item)) {
      if (method === 'parameters' || Array.isArray(value)) continue;
      const params = [...shared, ...(value.parameters ?? [])].map((p) =>
        p.$ref ? (document.components.parameters[p.$ref.split('/').pop() ?? ''] ?? {}) : p,
      );
      found.push({ route, method, op: value, params });
    }
  }
  return found;
}

/**
 * The server's side of the spec's operations: which operation each route serves (`"get
 * /v1/people/{id}": "getPerson"`), and which query parameters have a default (present in every
 * validated request). `server/src/platform/web/routes.ts` types each handler's request from them.
 */
function routesFile(document: SpecDocument): string {
  const routes: string[] = [];
  const defaults: string[] = [];
  for (const { route, method, op, params } of operationsOf(document)) {
    routes.push(`  '${method} ${route}': '${op.operationId}';`);
    const defaulted = params.filter((p) => p.in === 'query' && p.schema?.default !== undefined);
    if (defaulted.length)
      defaults.push(`  ${op.operationId}: ${defaulted.map((p) => `'${p.name}'`).join(' | ')};`);
  }
  return `${HEADER}
/** The operation each route serves: \`"<method> <path in the spec>": operationId\`. */
export interface RouteOperations {
${routes.join('\n')}
}

/** Query parameters the spec gives a default, by operation: validated requests always have them. */
export interface QueryDefaults {
${defaults.join('\n')}
}
`;
}

/** The table owners as a page of the docs. */
function tableOwnersMarkdown(): string {
  const rows = Object.entries(TABLE_OWNERS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, { owner, readers = [], writers = {} }]) => {
      const others = Object.entries(writers).map(([feature, why]) => `\`${feature}\` (${why})`);
      return `| \`${table}\` | \`${owner}\` | ${readers.map((feature) => `\`${feature}\``).join(', ')} | ${others.join('; ')} |`;
    });
  const everywhere = Object.entries(WRITES_EVERY_TABLE).map(([feature, why]) => `\`${feature}\` (${why})`);
  return `<!-- DO NOT EDIT: generated from migrations/owners.ts by \`npm run generate\`. -->
# Table owners

Each table is written by one feature (a folder of \`server/src\`); other features call its
operations through its \`index.ts\`. Where another feature names the table in its own SQL, it is
listed here, as a reader or as a writer with the reason. \`tests/unit/table-owners.test.ts\` reads
the server's SQL and fails on any use not listed (and on a listed use that is gone).

May write any table: ${everywhere.join('; ')}.

| table | owner | also read by | also written by |
|---|---|---|---|
${rows.join('\n')}
`;
}

/** Paths whose committed contents differ from what the spec generates. */
export async function staleGeneratedFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, contents] of await generateFiles()) {
    const current = await readFile(path.join(root, file), 'utf8').catch(() => null);
    if (current !== contents) stale.push(file);
  }
  return stale;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleGeneratedFiles();
    if (stale.length) {
      process.stderr.write(`Stale generated files (run npm run generate): ${stale.join(', ')}\n`);
      process.exit(1);
    }
    return;
  }
  for (const [file, contents] of await generateFiles()) {
    await writeFile(path.join(root, file), contents);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
