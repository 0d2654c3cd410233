import { css, html, nothing, type PropertyDeclarations, svg, type TemplateResult } from 'lit';
import type { components } from '../generated/openapi';
import type { RealtimeEvent } from '../realtime';
import { RelaisElement, themeTokens } from './base';
import { absoluteTime, formatNumber } from './i18n';

type PersonLeadScore = components['schemas']['PersonLeadScore'];

/**
 * `<relais-lead-score person-id="…">`: the score, a hot badge (in words, not colour alone), the
 * 90-day trend as a sparkline, and on expand the ledger entries with their reasons. Score changes
 * arrive live and are announced in a status region.
 *
 * @tagname relais-lead-score
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
 * @fires relais-ready - Data is shown.
 * @fires relais-error - Loading failed; `detail.code` is forbidden, unauthenticated, not_found, network or server.
 * @slot error - Shown when loading failed (a retry button follows).
 * @slot forbidden - Shown when the token does not allow this person's score.
 * @slot offline - Shown while the live stream reconnects.
 * @csspart container - The element's section.
 * @csspart header - Its heading.
 * @csspart score - The score.
 * @csspart badge - The hot badge.
 * @csspart sparkline - The 90-day trend.
 * @csspart button - Every button.
 * @csspart toggle - The button showing the ledger.
 * @csspart ledger - The ledger entries.
 * @csspart entry - One entry.
 * @csspart time - An entry's date.
 * @csspart announcer - The status region announcing score changes.
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error state.
 * @csspart forbidden - The forbidden state.
 * @csspart offline - The reconnecting notice.
 */
export class RelaisLeadScore extends RelaisElement {
  static override properties: PropertyDeclarations = {
    ...RelaisElement.properties,
    personId: { attribute: 'person-id', reflect: true },
    data: { state: true },
    expanded: { state: true },
    announcement: { state: true },
  };
  static override styles = [
    themeTokens,
    css`
      :host {
        --relais-min-height: 9rem;
      }
      .row {
        display: flex;
        align-items: center;
        gap: var(--_space);
        flex-wrap: wrap;
      }
      .score {
        font-size: 2em;
        font-weight: 700;
      }
      .badge {
        color: var(--_bg);
        background: var(--_hot);
        border-radius: 999px;
        padding: 0 var(--_space);
        font-weight: 600;
      }
      svg {
        width: 100%;
        max-width: 16rem;
        height: 3rem;
        overflow: visible;
      }
      polyline {
        fill: none;
        stroke: var(--_accent);
        stroke-width: 2;
        vector-effect: non-scaling-stroke;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 var(--_space);
        padding: calc(var(--_space) / 2) 0;
        border-bottom: 1px solid var(--_border);
      }
      .points {
        font-weight: 600;
      }
      .meta {
        grid-column: 2;
        color: var(--_muted);
        font-size: 0.9em;
      }
    `,
  ];
  /** The person to show (`person-id`). */
  declare personId: string | undefined;
  /** @internal */
  declare data: PersonLeadScore | undefined;
  /** @internal */
  declare expanded: boolean;
  /** @internal */
  declare announcement: string;
  private timeZoneName: string | undefined;

  constructor() {
    super();
    this.expanded = false;
    this.announcement = '';
  }

  protected get heading(): string {
    return this.t.leadScore;
  }

  protected async load(): Promise<void> {
    const client = this.runtime.client;
    if (!client) return;
    if (!this.personId) throw new Error('<relais-lead-score> needs person-id.');
    const [data, profile] = await Promise.all([
      client.people.leadScore(this.personId, { entries_limit: 20 }),
      this.runtime.profile().catch(() => undefined),
    ]);
    this.timeZoneName = profile?.time_zone;
    const before = this.data?.score;
    if (before !== undefined && before !== data.score)
      this.announcement = this.t.scoreChanged(
        formatNumber(before, this.language),
        formatNumber(data.score, this.language),
      );
    this.data = data;
    this.state = 'ready';
  }

  protected override onEvent(event: RealtimeEvent): void {
    if (event.type === 'lead_score.changed' && event.data.person_id === this.personId) void this.reload();
  }

  private sparkline(trend: PersonLeadScore['trend']): TemplateResult {
    const max = Math.max(1, ...trend.map((day) => day.score));
    const step = 100 / Math.max(1, trend.length - 1);
    const points = trend.map(
      (day, index) => `${(index * step).toFixed(2)},${(30 - (day.score / max) * 30).toFixed(2)}`,
    );
    const first = trend[0]?.score ?? 0;
    const last = trend.at(-1)?.score ?? 0;
    const label = `${this.t.trend}: ${formatNumber(first, this.language)} → ${formatNumber(last, this.language)}`;
    return html`<svg part="sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label=${label}>
      ${svg`<polyline points=${points.join(' ')}></polyline>`}
    </svg>`;
  }

  protected renderData(): TemplateResult {
    const data = this.data;
    if (!data) return html``;
    const t = this.t;
    const zone = this.timeZone(this.timeZoneName);
    return html`<div class="row">
        <span class="score" part="score">${formatNumber(data.score, this.language)}</span>
        ${data.hot ? html`<span class="badge" part="badge">${t.hot}</span>` : nothing}
      </div>
      ${this.sparkline(data.trend)}
      <p class="visually-hidden" part="announcer" role="status">${this.announcement}</p>
      <button
        part="button toggle"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls="ledger"
        @click=${() => {
          this.expanded = !this.expanded;
        }}
      >
        ${this.expanded ? t.hideLedger : t.showLedger}
      </button>
      ${
        this.expanded
          ? html`<ul id="ledger" part="ledger">
            ${data.entries.map(
              (entry) => html`<li part="entry">
                <span class="points">${t.points(entry.points)}</span>
                <span>${entry.reason}</span>
                <span class="meta"
                  ><time part="time" datetime=${entry.occurred_at}>${absoluteTime(entry.occurred_at, this.language, zone)}</time></span
                >
              </li>`,
            )}
          </ul>`
          : nothing
      }`;
  }
}
