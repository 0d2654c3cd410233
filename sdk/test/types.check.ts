/**
 * Type-level tests, checked by `npm run typecheck` (never run): each `@ts-expect-error` line must
 * fail to compile, or tsc reports the directive as unused and the check fails.
 */
import { createRelaisClient, type RelaisClient, type Result } from '../src';

export function typeChecks(relais: RelaisClient = createRelaisClient({ baseUrl: 'http://localhost' })) {
  // Operations and their results are the spec's, with no generics or casts at the call site.
  const lastName: Promise<string> = relais.people.get('id').then((person) => person.last_name);
  const page: Promise<Result<'listPeople'>> = relais.people.list({ q: 'dupre', limit: 10 });
  const status: Promise<'ok'> = relais.system.health().then((health) => health.status);

  // @ts-expect-error a misspelled operation
  relais.people.lsit();
  // @ts-expect-error a misspelled group
  relais.peeple.list();
  // @ts-expect-error a wrong parameter type (limit is a number)
  relais.people.list({ limit: 'ten' });
  // @ts-expect-error an unknown query parameter
  relais.people.list({ surname: 'Dupré' });
  // @ts-expect-error a path parameter is required
  relais.people.get();
  // @ts-expect-error a readOnly field cannot be sent
  relais.people.create({ first_name: 'A', last_name: 'B', id: '0b6f4f5e-0000-4000-8000-000000000000' });
  // @ts-expect-error a readOnly field cannot be sent in an update either
  relais.interactions.update('id', { created_at: '2026-01-01T00:00:00Z' });
  // @ts-expect-error a required body field is missing
  relais.people.create({ first_name: 'A' });
  // @ts-expect-error a value outside the enum
  relais.interactions.create({ type: 'fax', title: 'x' });
  // @ts-expect-error results carry no write-only field (a user's password)
  relais.users.get('id').then((user) => user.password);
  // @ts-expect-error the path-based client knows its paths too
  relais.raw.GET('/v1/peple');
  // @ts-expect-error an unknown call option
  relais.people.get('id', { retries: 3 });

  return [lastName, page, status];
}
