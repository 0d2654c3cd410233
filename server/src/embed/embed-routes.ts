/**
 * `/embed/…`: the web components for intranet pages. One script tag loads them from any page:
 * `<script type="module" src="https://relais.example/embed/relais-elements.js">`. The plain URL
 * is cached for five minutes; `relais-elements.json` names the content-hashed URL (cached for a
 * year) and its SRI integrity, for pages that pin a version.
 */

import type { HttpReply } from '../http/types';
import { NotFoundError } from '../platform/core/errors';
import { publicRoute } from '../platform/web/access';
import { Routes } from '../platform/web/routes';
import { type ElementsBundle, elementsBundle } from './elements-bundle';

const SHORT_CACHE = 'public, max-age=300';
const LONG_CACHE = 'public, max-age=31536000, immutable';

export function embedRoutes(): Routes {
  const routes = new Routes();
  routes.get('/embed/:file', publicRoute, async (req, reply) => {
    const bundle = await elementsBundle();
    if (!bundle) throw new NotFoundError('The web components are not built: run `npm run build`.');
    const file = req.params.file;
    if (file === 'relais-elements.js') return sendScript(reply, bundle, SHORT_CACHE);
    if (file === bundle.file) return sendScript(reply, bundle, LONG_CACHE);
    if (file === 'relais-elements.json') {
      crossOrigin(reply).header('Cache-Control', SHORT_CACHE);
      return reply.send({
        version: bundle.version,
        url: `/embed/${bundle.file}`,
        integrity: bundle.integrity,
      });
    }
    throw new NotFoundError(`No /embed/${file}: the module is /embed/relais-elements.js.`);
  });
  return routes;
}

/** Any page may load the module (it holds no data): CORS for a module script, and CORP. */
function crossOrigin(reply: HttpReply): HttpReply {
  return reply
    .header('Access-Control-Allow-Origin', '*')
    .header('Cross-Origin-Resource-Policy', 'cross-origin');
}

function sendScript(reply: HttpReply, bundle: ElementsBundle, cacheControl: string) {
  crossOrigin(reply)
    .header('Cache-Control', cacheControl)
    .header('ETag', `"${bundle.file}"`)
    .type('text/javascript; charset=utf-8');
  return reply.send(bundle.code);
}
