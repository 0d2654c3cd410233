/**
 * Generates the code that comes from `openapi/openapi.yaml`:
 * - `server/src/generated/openapi-document.ts` — the document itself, bundled into the server;
 * - `server/src/generated/openapi.ts` and `sdk/src/generated/openapi.ts` — TypeScript types
 *   (openapi-typescript);
 * - `docs/permissions.md` — the permission table, from `server/src/platform/permissions.ts`.
 *
 * `npm run generate` writes them; `npm run generate -- --check` (and the test suite) fail when
 * the committed files differ from what the spec produces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { permissionsMarkdown } from '../server/src/platform/permissions';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specPath = path.join(root, 'openapi/openapi.yaml');

const HEADER = `// DO NOT EDIT: generated from openapi/openapi.yaml by \`npm run generate\`.
// Edit the spec, then regenerate; \`npm test\` fails when this file is stale.
`;

/** Returns every generated file (path relative to the repository root → contents). */
export async function generateFiles(): Promise<Map<string, string>> {
  const yamlText = await readFile(specPath, 'utf8');
  const document = parse(yamlText);
  const types = astToString(await openapiTS(document, { defaultNonNullable: false, alphabetize: false }));
  const typesFile = `${HEADER}/* eslint-disable */\n\n${types}`;
  const documentFile = `${HEADER}\n// biome-ignore format: generated\nexport const openApiDocumentJson: unknown = ${JSON.stringify(document)};\n`;
  return new Map([
    ['server/src/generated/openapi-document.ts', documentFile],
    ['server/src/generated/openapi.ts', typesFile],
    ['sdk/src/generated/openapi.ts', typesFile],
    ['docs/permissions.md', permissionsMarkdown()],
  ]);
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
