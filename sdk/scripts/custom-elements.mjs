/**
 * Writes `custom-elements.json` (the Custom Elements Manifest editors and docs tools read) from
 * the elements' sources and JSDoc, then keeps only the public surface: `relais-*` events and
 * the attributes and members a page uses (not the elements' internal state).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const cli = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js');
execFileSync(process.execPath, [cli, 'analyze', '--litelement', '--globs', 'src/elements/*.ts', '--quiet'], {
  stdio: 'inherit',
});
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const isPublic = (member) =>
  !member.privacy && !/@internal/.test(member.description ?? '') && !INTERNAL.has(member.name);
const INTERNAL = new Set(['state', 'offline', 'runtime']);
// Lit's `state: true` properties are not attributes, whatever the analyzer infers.
const ATTRIBUTES = new Set([
  'person-id',
  'organisation-id',
  'limit',
  'theme',
  'base-url',
  'token-url',
  'token',
]);
for (const module of manifest.modules) {
  for (const declaration of module.declarations ?? []) {
    const internal = new Set(
      (declaration.members ?? [])
        .filter((member) => /@internal/.test(member.description ?? ''))
        .map((m) => m.name),
    );
    const keep = (item) => !internal.has(item.name) && !internal.has(item.fieldName) && isPublic(item);
    if (declaration.events)
      declaration.events = declaration.events.filter((event) => event.name?.startsWith('relais-'));
    if (declaration.attributes)
      declaration.attributes = declaration.attributes.filter((attribute) => ATTRIBUTES.has(attribute.name));
    if (declaration.members) declaration.members = declaration.members.filter(keep);
  }
}
writeFileSync('custom-elements.json', `${JSON.stringify(manifest, null, 2)}\n`);
