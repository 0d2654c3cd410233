/**
 * Type-level tests of route handlers, checked by `npm run typecheck` (never run): each
 * `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused and the
 * check fails. A handler's request and its reply are both typed from the spec's operation.
 */
import { Json } from '../../server/src/platform/core/versions';
import { can, publicRoute } from '../../server/src/platform/web/access';
import { sendResource } from '../../server/src/platform/web/etag';
import type { Routes } from '../../server/src/platform/web/routes';

const person = {
  id: '0b6f4f5e-0000-4000-8000-000000000000',
  first_name: 'Claire',
  last_name: 'Dupré',
  email: null,
  phone: null,
  job_title: null,
  language: null,
  notes: null,
  owner_id: null,
  created_by: null,
  created_at: new Date(),
  updated_at: '2026-01-01T00:00:00Z',
  archived_at: null,
  organisations: [],
};

export function routeTypeChecks(routes: Routes): void {
  routes.get('/v1/people/:id', can('people', 'read'), async (req, reply) => {
    const id: string = req.params.id;
    // @ts-expect-error getPerson has no `:person_id` parameter
    void req.params.person_id;
    // A Date where the spec has a date-time string: JSON sends its ISO form.
    sendResource(req, reply, { ...person, id });
    sendResource(req, reply, new Json<typeof person>('{}'));
    // @ts-expect-error a required field of Person is missing
    sendResource(req, reply, { ...person, last_name: undefined });
    // @ts-expect-error a field of the wrong type
    sendResource(req, reply, { ...person, organisations: 'none' });
    // @ts-expect-error another resource than the operation's
    sendResource(req, reply, new Json<{ name: string }>('{}'));
    // @ts-expect-error raw text: getPerson answers only JSON
    reply.send('{}');
  });

  routes.get('/v1/people', can('people', 'read'), async (req, reply) => {
    const limit: number = req.query.limit;
    reply.send({ data: [person], next_cursor: null });
    // @ts-expect-error a page needs its next_cursor
    reply.send({ data: [person] });
    // @ts-expect-error a page of something else
    reply.send({ data: [{ id: 'x', name: 'Acme' }], next_cursor: null });
    void limit;
  });

  routes.get('/v1/mandates/:id', can('mandates', 'read'), async (_req, reply) => {
    const mandate = {
      id: 'x',
      organisation_id: 'y',
      title: 'Conseil',
      type: 'advisory' as const,
      status: 'draft' as const,
      start_date: null,
      end_date: null,
      notes: null,
      owner_id: null,
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
    };
    reply.send(mandate);
    // @ts-expect-error a value outside the enum
    reply.send({ ...mandate, type: 'fax' });
  });

  routes.delete('/v1/people/:id', can('people', 'delete'), async (_req, reply) => {
    reply.code(204).send();
    // @ts-expect-error deletePerson answers 204 with no body
    reply.code(204).send({ deleted: true });
  });

  routes.get('/v1/exports/people', can('people', 'read'), async (_req, reply) => {
    // An operation that also answers with another media type (CSV) may send text or bytes.
    reply.send('id,first_name\n');
    reply.send(Buffer.from('id,first_name\n'));
  });

  routes.get('/embed/page', publicRoute, async (_req, reply) => {
    // A route outside the spec sends what it likes.
    reply.type('text/html').send('<!doctype html>');
  });
}
