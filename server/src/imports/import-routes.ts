import { ValidationError } from '../platform/core/errors';
import type { Knex } from '../platform/data/db';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { getImport, importErrors, listImports, requestImport } from './import-runs';
import { headerLine, ImportFileError, mapColumns, parseColumnMap } from './import-service';

/** The `map` parameter, or a 400 naming it. */
function mappingOf(text: string | undefined): Record<string, string> {
  try {
    return parseColumnMap(text ?? '');
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    throw new ValidationError(`The column mapping is not Header=field pairs: ${error.message}.`, {
      errors: [{ in: 'query', field: 'map', message: 'must be comma-separated Header=field pairs' }],
    });
  }
}

/** `POST /v1/imports` (a CSV body, run by the `imports.run` job) and its progress. */
export function importRoutes(db: Knex, options: { bodyLimit: number }): Routes {
  const routes = new Routes();

  routes.post(
    '/v1/imports',
    can('imports', 'create'),
    async (req, reply) => {
      const query = req.query;
      const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // The mapping and the header are read now: a file that cannot be imported is refused here,
      // not by the job.
      const map = mappingOf(query.map);
      try {
        mapColumns(query.resource, headerLine(file), map, (pair) => `map=${pair}`);
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        throw new ValidationError(`The file cannot be imported: ${error.message}.`, {
          errors: [
            error.parameter === 'map'
              ? { in: 'query', field: 'map', message: error.message }
              : { in: 'body', field: '', message: error.message },
          ],
        });
      }
      const created = await requestImport(db, contextOf(req), {
        resource: query.resource,
        file,
        dryRun: query.dry_run,
        map,
      });
      reply.code(202).header('Location', `/v1/imports/${created.id}`).send(created);
    },
    { rawBody: { bodyLimit: options.bodyLimit } },
  );

  routes.get('/v1/imports', can('imports', 'read'), async (req, reply) => {
    const { limit, cursor, ...filters } = req.query;
    reply.send(await listImports(db, contextOf(req), filters, { limit, cursor }));
  });

  routes.get('/v1/imports/:id', can('imports', 'read'), async (req, reply) => {
    reply.send(await getImport(db, contextOf(req), req.params.id!));
  });

  routes.get('/v1/imports/:id/errors', can('imports', 'read'), async (req, reply) => {
    const csv = await importErrors(db, contextOf(req), req.params.id!);
    reply.type('text/csv; charset=utf-8').send(csv);
  });

  return routes;
}
