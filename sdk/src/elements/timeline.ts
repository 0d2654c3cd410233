import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { components } from '../generated/openapi';
import type { RealtimeEvent } from '../realtime';
import { RelaisElement, themeTokens } from './base';
import { absoluteTime, relativeTime } from './i18n';

type TimelineItem = components['schemas']['TimelineItem'];
const PAGE = 20;
// Glyphs every system font has (no emoji font needed, no image to load).
const ICONS: Record<string, string> = {
  email: '✉',
  call: '☎',
  meeting: '◎',
  video_call: '▶',
  note: '✎',
  event: '◷',
  other: '•',
  email_event: '✉',
};

/**
 * `<relais-timeline person-id="…">` or `organisation-id="…"`: interactions and email events,
 * newest first, loaded as you scroll (ARIA feed), with new items arriving live at the top.
 *
 * @tagname relais-timeline
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
 * @fires relais-open - An entry was activated (Enter or click); `detail.item` is the timeline entry.
 * @fires relais-ready - Data is shown.
 * @fires relais-error - Loading failed; `detail.code` is forbidden, unauthenticated, not_found, network or server.
 * @slot empty - Shown when there is nothing yet.
 * @slot error - Shown when loading failed (a retry button follows).
 * @slot forbidden - Shown when the token does not allow this timeline.
 * @slot offline - Shown while the live stream reconnects.
 * @csspart container - The element's section.
 * @csspart header - Its heading.
 * @csspart feed - The list of entries (ARIA feed).
 * @csspart item - One entry.
 * @csspart icon - The entry's type icon.
 * @csspart item-title - The entry's title.
 * @csspart item-meta - Its time, participants and campaign.
 * @csspart time - A relative time (the absolute one on hover and focus).
 * @csspart button - Every button.
 * @csspart more - The "load more" button.
 * @csspart announcer - The polite live region announcing new entries.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The empty state.
 * @csspart error - The error state.
 * @csspart forbidden - The forbidden state.
 * @csspart offline - The reconnecting notice.
 */
export class RelaisTimeline extends RelaisElement {
  static override properties: PropertyDeclarations = {
    ...RelaisElement.properties,
    personId: { attribute: 'person-id', reflect: true },
    organisationId: { attribute: 'organisation-id', reflect: true },
    items: { state: true },
    cursor: { state: true },
    loadingMore: { state: true },
    announcement: { state: true },
  };
  static override styles = [
    themeTokens,
    css`
      article {
        display: grid;
        grid-template-columns: 2em 1fr;
        gap: calc(var(--_space) / 2) var(--_space);
        padding: var(--_space) 0;
        border-bottom: 1px solid var(--_border);
      }
      .icon {
        font-size: 1.2em;
        text-align: center;
      }
      .title {
        font-weight: 600;
      }
      .meta {
        grid-column: 2;
        color: var(--_muted);
        font-size: 0.9em;
      }
      time:hover::after,
      article:focus time::after,
      time:focus::after {
        content: ' · ' attr(data-absolute);
      }
      .more {
        margin-top: var(--_space);
      }
    `,
  ];
  /** The person to show (`person-id`). */
  declare personId: string | undefined;
  /** Or the organisation to show (`organisation-id`). */
  declare organisationId: string | undefined;
  /** @internal */
  declare items: TimelineItem[];
  /** @internal */
  declare cursor: string | null;
  /** @internal */
  declare loadingMore: boolean;
  /** @internal */
  declare announcement: string;
  private observer: IntersectionObserver | undefined;
  private watched: Element | undefined;
  private timeZoneName: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.cursor = null;
    this.loadingMore = false;
    this.announcement = '';
  }

  protected get heading(): string {
    return this.t.timeline;
  }

  private page(cursor?: string) {
    const client = this.runtime.client;
    if (!client) throw new Error('Relais.configure has not been called.');
    if (this.personId) return client.people.timeline(this.personId, { limit: PAGE, cursor });
    if (this.organisationId)
      return client.organisations.timeline(this.organisationId, { limit: PAGE, cursor });
    throw new Error('<relais-timeline> needs person-id or organisation-id.');
  }

  protected async load(): Promise<void> {
    const [page, profile] = await Promise.all([this.page(), this.runtime.profile().catch(() => undefined)]);
    this.timeZoneName = profile?.time_zone;
    const known = new Set(this.items.map((item) => item.id));
    const fresh = page.data.filter((item) => !known.has(item.id));
    if (this.items.length && fresh.length) this.announcement = this.t.newItems(fresh.length);
    // New entries go on top; what was loaded further down (and the scroll position) stays.
    const firstIds = new Set(page.data.map((item) => item.id));
    this.items = [...page.data, ...this.items.filter((item) => !firstIds.has(item.id))];
    if (this.cursor === null || !known.size) this.cursor = page.next_cursor;
    this.state = this.items.length ? 'ready' : 'empty';
  }

  private async more(): Promise<void> {
    if (!this.cursor || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await this.page(this.cursor);
      const known = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...page.data.filter((item) => !known.has(item.id))];
      this.cursor = page.next_cursor;
    } catch (error) {
      this.fail(error);
    } finally {
      this.loadingMore = false;
    }
  }

  protected override onEvent(event: RealtimeEvent): void {
    if (!event.type.startsWith('interaction.') && event.type !== 'lead_score.changed') return;
    this.reloadSoon();
  }

  /** Watches the sentinel below the feed (one observer; re-pointed only when the sentinel changes). */
  override updated(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel') ?? undefined;
    if (sentinel === this.watched || typeof IntersectionObserver === 'undefined') return;
    this.observer ??= new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void this.more();
    });
    if (this.watched) this.observer.unobserve(this.watched);
    if (sentinel) this.observer.observe(sentinel);
    this.watched = sentinel;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.watched = undefined;
  }

  private open(item: TimelineItem): void {
    this.emit('relais-open', { item });
  }

  private renderItem(item: TimelineItem, index: number): TemplateResult {
    const t = this.t;
    const lang = this.language;
    const zone = this.timeZone(this.timeZoneName);
    const interaction = item.kind === 'interaction' ? item.interaction : undefined;
    const emailEvent = item.kind === 'email_event' ? item.email_event : undefined;
    const kind = interaction?.type ?? 'email_event';
    const title = interaction ? interaction.title : t.emailEvent(emailEvent?.type ?? '');
    const label = interaction
      ? (t.types[interaction.type] ?? interaction.type)
      : t.emailEvent(emailEvent?.type ?? '');
    const people = interaction?.participants.map((participant) => participant.name).join(', ');
    return html`<article
      part="item"
      tabindex="0"
      aria-posinset=${index + 1}
      aria-setsize="-1"
      aria-labelledby="title-${item.id}"
      @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && this.open(item)}
      @click=${() => this.open(item)}
    >
      <span class="icon" part="icon" role="img" aria-label=${label}>${ICONS[kind] ?? '•'}</span>
      <span class="title" part="item-title" id="title-${item.id}">${title}</span>
      <span class="meta" part="item-meta">
        <time
          part="time"
          datetime=${item.occurred_at}
          title=${absoluteTime(item.occurred_at, lang, zone)}
          data-absolute=${absoluteTime(item.occurred_at, lang, zone)}
          >${relativeTime(item.occurred_at, lang)}</time
        >${people ? html` · ${t.participants} ${people}` : nothing}${emailEvent?.campaign ? html` · ${emailEvent.campaign}` : nothing}
      </span>
    </article>`;
  }

  protected renderData(): TemplateResult {
    return html`<div role="feed" part="feed" aria-busy=${this.loadingMore ? 'true' : 'false'} aria-label=${this.t.timeline}>
        ${this.items.map((item, index) => this.renderItem(item, index))}
      </div>
      <p class="visually-hidden" part="announcer" aria-live="polite">${this.announcement}</p>
      ${
        this.cursor
          ? html`<div class="sentinel"></div>
            <button class="more" part="button more" @click=${() => this.more()}>${this.t.loadMore}</button>`
          : nothing
      }`;
  }
}
