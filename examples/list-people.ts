/**
 * List and search with auto-pagination: every person whose name or email matches, however many
 * pages that takes, then only the first 3 with `toArray`.
 *
 *   npx tsx examples/list-people.ts [search]
 */
import { print, signIn } from './connect';

const relais = await signIn();
const q = process.argv[2];

let count = 0;
for await (const person of relais.people.list({ q, limit: 50, sort: 'name' })) {
  count += 1;
  if (count <= 5) print(`${person.last_name}, ${person.first_name} <${person.email ?? 'no email'}>`);
}
print(`${count} people${q ? ` matching "${q}"` : ''}`);

const firstThree = await relais.people.list({ q }).toArray({ limit: 3 });
print(`first three: ${firstThree.map((person) => person.last_name).join(', ')}`);
