/**
 * The one-script-tag module served at `/embed/relais-elements.js`: defines the four elements and
 * `<relais-config>`, and exposes `window.Relais` (`configure`, `version`). Two copies on one page
 * share one runtime and warn instead of throwing.
 */
import { configure, defineAll, runtime, VERSION } from './index';

/**
 * `<relais-config base-url="…" token-url="…">`: configures the page without script.
 *
 * @tagname relais-config
 * @attr base-url - The Relais origin, e.g. `https://relais.intranet.example.com`.
 * @attr token-url - A URL of the page's own backend answering `{ "token": "<embed token>" }`.
 * @attr token - A fixed embed token (for a page rendered with one; it is not refreshed).
 */
class RelaisConfigElement extends HTMLElement {
  connectedCallback(): void {
    const baseUrl = this.getAttribute('base-url') ?? '';
    const tokenUrl = this.getAttribute('token-url');
    const token = this.getAttribute('token');
    if (!baseUrl || (!tokenUrl && !token)) {
      console.warn('<relais-config> needs base-url and token-url (or token).');
      return;
    }
    configure({
      baseUrl,
      getToken: tokenUrl
        ? async () => {
            const response = await fetch(tokenUrl, { credentials: 'same-origin' });
            if (!response.ok) throw new Error(`${tokenUrl} answered ${response.status}`);
            const body = (await response.json()) as { token: string };
            return body.token;
          }
        : () => token ?? '',
    });
  }
}

const relais = { configure, version: VERSION, runtime };
const holder = globalThis as typeof globalThis & { Relais?: typeof relais };
if (holder.Relais && holder.Relais.version !== VERSION)
  console.warn(`Relais elements ${holder.Relais.version} and ${VERSION} are both on this page.`);
holder.Relais ??= relais;
defineAll();
if (!customElements.get('relais-config')) customElements.define('relais-config', RelaisConfigElement);

export { configure, VERSION as version };
