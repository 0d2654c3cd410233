import { css, html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { components } from '../generated/openapi';
import type { RealtimeEvent } from '../realtime';
import { RelaisElement, themeTokens } from './base';
import { formatNumber } from './i18n';

type LeadScore = components['schemas']['LeadScore'];

/**
 * `<relais-hot-leads limit="10">`: the people with the highest lead scores, ranked, with their
 * score, a trend arrow against a week ago (with words for screen readers) and their owner;
 * reordered live as scores change.
 *
 * @tagname relais-hot-leads
 * @cssprop --relais-color-text - Text colour.
 * @cssprop --relais-color-muted - Secondary text colour.
 * @cssprop --relais-color-bg - Background.
 * @cssprop --relais-color-surface - Chips, skeletons and other raised surfaces.
 * @cssprop --relais-color-border - Borders and separators.
 * @cssprop --relais-color-accent - Links, buttons and focus rings.
 * @cssprop --relais-color-hot - The hot badge and rising trends.
 * @cssprop --relais-color-danger - Overdue counts and errors.
 * @cssprop --relais-font-family - The font.
 * @cssprop --relais-font-size - The base font size (14px).
 * @cssprop --relais-radius - Corner radius (8px).
 * @cssprop --relais-space - The spacing unit (8px).
 * @cssprop --relais-density - A multiplier of the spacing (1; 0.75 is compact).
 * @cssprop --relais-min-height - The height reserved while loading, so nothing shifts.
 * @fires relais-open - A lead was activated (Enter or click); `detail.lead`.
 * @fires relais-ready - Data is shown.
 * @fires relais-error - Loading failed; `detail.code` is forbidden, unauthenticated, not_found, network or server.
 * @slot empty - Shown when nobody has a score yet.
 * @slot error - Shown when loading failed (a retry button follows).
 * @slot forbidden - Shown when the token has no hot-leads widget.
 * @slot offline - Shown while the live stream reconnects.
 * @csspart container - The element's section.
 * @csspart header - Its heading.
 * @csspart list - The ranked list.
 * @csspart item - One lead.
 * @csspart rank - Its rank.
 * @csspart name - The person's name.
 * @csspart score - The score.
 * @csspart trend - The trend arrow against a week ago (with words for screen readers).
 * @csspart owner - The owner's name.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The empty state.
 * @csspart error - The error state.
 * @csspart forbidden - The forbidden state.
 * @csspart offline - The reconnecting notice.
 */
export class RelaisHotLeads extends RelaisElement {
  static override properties: PropertyDeclarations = {
    ...RelaisElement.properties,
    limit: { type: Number, reflect: true },
    leads: { state: true },
  };
  static override styles = [
    themeTokens,
    css`
      li {
        display: grid;
        grid-template-columns: 2em 1fr auto auto;
        gap: var(--_space);
        align-items: baseline;
        padding: calc(var(--_space) / 2) 0;
        border-bottom: 1px solid var(--_border);
        cursor: pointer;
      }
      .rank {
        color: var(--_muted);
      }
      .name {
        font-weight: 600;
      }
      .owner {
        grid-column: 2;
        color: var(--_muted);
        font-size: 0.9em;
      }
      .score {
        font-weight: 700;
      }
      .trend.up {
        color: var(--_hot);
      }
    `,
  ];
  /** How many leads to rank (1–100, default 10). */
  declare limit: number;
  /** @internal */
  declare leads: LeadScore[];

  constructor() {
    super();
    this.limit = 10;
    this.leads = [];
  }

  protected get heading(): string {
    return this.t.hotLeads;
  }

  protected async load(): Promise<void> {
    const client = this.runtime.client;
    if (!client) return;
    const page = await client.leadScores.list({ limit: Math.max(1, Math.min(100, this.limit || 10)) });
    this.leads = page.data;
    this.state = this.leads.length ? 'ready' : 'empty';
  }

  protected override onEvent(event: RealtimeEvent): void {
    if (event.type !== 'lead_score.changed') return;
    this.reloadSoon();
  }

  private trend(lead: LeadScore): TemplateResult {
    const t = this.t;
    const delta = lead.score - lead.score_7d_ago;
    const [arrow, words, kind] =
      delta > 0.05 ? ['↑', t.up, 'up'] : delta < -0.05 ? ['↓', t.down, 'down'] : ['→', t.steady, 'steady'];
    return html`<span class="trend ${kind}" part="trend"
      ><span aria-hidden="true">${arrow}</span><span class="visually-hidden">${words}</span></span
    >`;
  }

  protected renderData(): TemplateResult {
    const t = this.t;
    return html`<ol part="list">
      ${this.leads.map(
        (lead, index) => html`<li
          part="item"
          tabindex="0"
          @click=${() => this.emit('relais-open', { lead })}
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && this.emit('relais-open', { lead })}
        >
          <span class="rank" part="rank">${index + 1}</span>
          <span class="name" part="name">${lead.person.first_name} ${lead.person.last_name}</span>
          <span class="score" part="score">${formatNumber(lead.score, this.language)}</span>
          ${this.trend(lead)}
          <span class="owner" part="owner">${t.owner}: ${lead.person.owner_name ?? t.nobody}</span>
        </li>`,
      )}
    </ol>`;
  }
}
