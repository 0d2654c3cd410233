import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { isRelaisError } from '../errors';
import type { components } from '../generated/openapi';
import type { RealtimeEvent } from '../realtime';
import { RelaisElement, themeTokens } from './base';
import { absoluteTime, dayIn, relativeTime } from './i18n';

type Interaction = components['schemas']['Interaction'];
type Counts = components['schemas']['InboxCounts'];
type Bucket = 'overdue' | 'today' | 'upcoming' | 'no_date';
const BUCKETS: Bucket[] = ['overdue', 'today', 'upcoming', 'no_date'];

/** The inbox actions a host may veto (`relais-action` is cancelable). */
export interface InboxAction {
  action: 'done' | 'snooze';
  interaction: Interaction;
  next_action_at?: string;
}

/**
 * `<relais-inbox>`: the signed-in user's open items in overdue / today / upcoming / no-date
 * buckets, in their time zone, with actions in place (done, snooze). Keyboard: arrow keys move
 * between items, Enter opens, D marks done, S snoozes, Escape closes the snooze menu.
 *
 * @tagname relais-inbox
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
 * @fires relais-open - An item was opened (Enter, or its Open button); `detail.interaction`.
 * @fires relais-action - Cancelable, before a write; `detail` is `{ action, interaction, next_action_at }`.
 * @fires relais-ready - Data is shown.
 * @fires relais-error - Loading or an action failed; `detail.code` says why (`action_refused` for a rolled-back action).
 * @slot empty - Shown when nothing is open.
 * @slot error - Shown when loading failed (a retry button follows).
 * @slot forbidden - Shown when the token has no inbox widget.
 * @slot offline - Shown while the live stream reconnects.
 * @csspart container - The element's section.
 * @csspart header - Its heading.
 * @csspart counts - The bucket counts.
 * @csspart count - One bucket's count.
 * @csspart bucket - One bucket's section.
 * @csspart bucket-title - Its heading.
 * @csspart list - A bucket's items.
 * @csspart row - One item.
 * @csspart item-title - The item's title.
 * @csspart item-meta - Its type and next action.
 * @csspart time - The next action's time.
 * @csspart actions - The item's buttons.
 * @csspart button - Every button.
 * @csspart snooze-menu - The snooze presets and date.
 * @csspart date - The snooze date input.
 * @csspart message - The status line after an action.
 * @csspart skeleton - The loading placeholder.
 * @csspart empty - The empty state.
 * @csspart error - The error state.
 * @csspart forbidden - The forbidden state.
 * @csspart offline - The reconnecting notice.
 */
export class RelaisInbox extends RelaisElement {
  static override properties: PropertyDeclarations = {
    ...RelaisElement.properties,
    items: { state: true },
    counts: { state: true },
    zone: { state: true },
    focused: { state: true },
    snoozing: { state: true },
    message: { state: true },
  };
  static override styles = [
    themeTokens,
    css`
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
        margin: 0 0 var(--_space);
      }
      .count {
        background: var(--_surface);
        border-radius: calc(var(--_radius) / 2);
        padding: calc(var(--_space) / 4) var(--_space);
      }
      .count.overdue {
        color: var(--_danger);
      }
      h3 {
        font-size: 0.95em;
        margin: var(--_space) 0 calc(var(--_space) / 2);
        color: var(--_muted);
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: calc(var(--_space) / 2);
        padding: var(--_space);
        border-radius: calc(var(--_radius) / 2);
        border: 1px solid transparent;
      }
      li:focus {
        border-color: var(--_accent);
        outline: none;
      }
      .title {
        font-weight: 600;
      }
      .meta {
        color: var(--_muted);
        font-size: 0.9em;
      }
      .actions {
        display: flex;
        gap: calc(var(--_space) / 2);
        align-items: start;
      }
      .menu {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_space) / 2);
        align-items: center;
      }
      input {
        font: inherit;
        color: inherit;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) / 2);
      }
    `,
  ];
  /** @internal */
  declare items: Interaction[];
  /** @internal */
  declare counts: Counts | undefined;
  /** @internal */
  declare zone: string | undefined;
  /** @internal */
  declare focused: string | undefined;
  /** @internal */
  declare snoozing: string | undefined;
  /** @internal */
  declare message: string;

  constructor() {
    super();
    this.items = [];
    this.message = '';
  }

  protected get heading(): string {
    return this.t.inbox;
  }

  protected async load(): Promise<void> {
    const client = this.runtime.client;
    if (!client) return;
    const zone = this.timeZone();
    const inbox = await client.inbox.list({ limit: 100, ...(zone ? { tz: zone } : {}) });
    this.items = inbox.data;
    this.counts = inbox.counts;
    this.zone = inbox.time_zone;
    this.state = this.items.length ? 'ready' : 'empty';
  }

  protected override onEvent(event: RealtimeEvent): void {
    if (!event.type.startsWith('interaction.')) return;
    this.reloadSoon();
  }

  private bucketOf(item: Interaction, now: Date): Bucket {
    if (!item.next_action_at) return 'no_date';
    if (item.overdue || new Date(item.next_action_at) < now) return 'overdue';
    return dayIn(new Date(item.next_action_at), this.zone) === dayIn(now, this.zone) ? 'today' : 'upcoming';
  }

  /** Marks done or snoozes, at once on screen; rolled back with a message if the server refuses. */
  async act(interaction: Interaction, action: 'done' | 'snooze', nextActionAt?: string): Promise<void> {
    const detail: InboxAction = {
      action,
      interaction,
      ...(nextActionAt ? { next_action_at: nextActionAt } : {}),
    };
    if (!this.emit('relais-action', detail, true)) return;
    const client = this.runtime.client;
    if (!client) return;
    const before = { items: this.items, counts: this.counts };
    const now = new Date();
    const bucket = this.bucketOf(interaction, now);
    const index = this.items.indexOf(interaction);
    this.snoozing = undefined;
    if (action === 'done') {
      this.items = this.items.filter((item) => item !== interaction);
      if (this.counts)
        this.counts = { ...this.counts, [bucket]: this.counts[bucket] - 1, total: this.counts.total - 1 };
      this.focused = this.items[Math.min(index, this.items.length - 1)]?.id;
    } else {
      const moved = { ...interaction, next_action_at: nextActionAt ?? null, overdue: false };
      this.items = this.items.map((item) => (item === interaction ? moved : item));
      this.focused = moved.id;
    }
    try {
      await client.interactions.update(
        interaction.id,
        action === 'done' ? { status: 'done' } : { next_action_at: nextActionAt ?? null },
      );
      this.message =
        action === 'done' ? this.t.markedDone(interaction.title) : this.t.snoozed(interaction.title);
      if (!this.items.length) this.state = 'empty';
    } catch (error) {
      this.items = before.items;
      this.counts = before.counts;
      this.state = 'ready';
      const status = isRelaisError(error) ? error.status : 0;
      this.message = status === 409 || status === 412 ? this.t.conflict : this.t.refused;
      this.emit('relais-error', { code: 'action_refused', status, action });
    }
    await this.updateComplete;
    this.focusRow(this.focused);
  }

  private focusRow(id: string | undefined): void {
    if (!id) return;
    this.renderRoot.querySelector<HTMLElement>(`li[data-id="${id}"]`)?.focus();
  }

  private presets(): [string, Date][] {
    const at9 = (days: number) => {
      const date = new Date();
      date.setDate(date.getDate() + days);
      date.setHours(9, 0, 0, 0);
      return date;
    };
    const toMonday = (8 - new Date().getDay()) % 7 || 7;
    return [
      [this.t.tomorrow, at9(1)],
      [this.t.inThreeDays, at9(3)],
      [this.t.nextWeek, at9(toMonday)],
    ];
  }

  private onKey(event: KeyboardEvent, interaction: Interaction): void {
    if (event.target !== event.currentTarget && event.key !== 'Escape') return;
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-id]')];
    const at = rows.findIndex((row) => row.dataset.id === interaction.id);
    const go = (index: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
      this.focused = row?.dataset.id;
      row?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'Enter':
        this.emit('relais-open', { interaction });
        break;
      case 'd':
      case 'D':
        void this.act(interaction, 'done');
        break;
      case 's':
      case 'S':
        this.snoozing = this.snoozing === interaction.id ? undefined : interaction.id;
        break;
      case 'Escape':
        this.snoozing = undefined;
        this.focusRow(interaction.id);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private renderRow(item: Interaction, now: Date): TemplateResult {
    const t = this.t;
    const focusedId = this.focused ?? this.items[0]?.id;
    const when = item.next_action_at;
    return html`<li
      part="row"
      data-id=${item.id}
      tabindex=${item.id === focusedId ? '0' : '-1'}
      aria-labelledby="title-${item.id}"
      @keydown=${(event: KeyboardEvent) => this.onKey(event, item)}
      @focus=${() => {
        this.focused = item.id;
      }}
    >
      <div>
        <div class="title" part="item-title" id="title-${item.id}">${item.title}</div>
        <div class="meta" part="item-meta">
          ${t.types[item.type] ?? item.type}${
            when
              ? html` ·
                <time part="time" datetime=${when} title=${absoluteTime(when, this.language, this.zone)}
                  >${relativeTime(when, this.language, now.getTime())}</time
                >`
              : nothing
          }
        </div>
      </div>
      <div class="actions" part="actions">
        <button part="button" @click=${() => this.emit('relais-open', { interaction: item })}>${t.open}</button>
        <button part="button done" @click=${() => this.act(item, 'done')}>${t.done}</button>
        <button
          part="button snooze"
          aria-expanded=${this.snoozing === item.id ? 'true' : 'false'}
          @click=${() => {
            this.snoozing = this.snoozing === item.id ? undefined : item.id;
          }}
        >
          ${t.snooze}
        </button>
      </div>
      ${this.snoozing === item.id ? this.renderSnooze(item) : nothing}
    </li>`;
  }

  private renderSnooze(item: Interaction): TemplateResult {
    const t = this.t;
    let picked = '';
    return html`<div class="menu" part="snooze-menu" role="group" aria-label=${t.snooze}>
      ${this.presets().map(
        ([label, date]) =>
          html`<button part="button" @click=${() => this.act(item, 'snooze', date.toISOString())}>${label}</button>`,
      )}
      <label
        >${t.snoozeUntil}
        <input
          type="date"
          part="date"
          @change=${(event: Event) => {
            picked = (event.target as HTMLInputElement).value;
          }}
      /></label>
      <button
        part="button"
        @click=${() => picked && this.act(item, 'snooze', new Date(`${picked}T09:00:00`).toISOString())}
      >
        ${t.snooze}
      </button>
    </div>`;
  }

  protected renderData(): TemplateResult {
    const t = this.t;
    const now = new Date();
    const counts = this.counts;
    return html`${
      counts
        ? html`<ul class="counts" part="counts">
            ${BUCKETS.map(
              (bucket) =>
                html`<li class="count ${bucket}" part="count">${t[bucket]} <strong>${counts[bucket]}</strong></li>`,
            )}
          </ul>`
        : nothing
    }
      <p class="visually-hidden" id="help">${t.inboxHelp}</p>
      ${BUCKETS.map((bucket) => {
        const rows = this.items.filter((item) => this.bucketOf(item, now) === bucket);
        if (!rows.length) return nothing;
        return html`<section part="bucket" aria-labelledby="bucket-${bucket}">
          <h3 part="bucket-title" id="bucket-${bucket}">${t[bucket]}</h3>
          <ul part="list" aria-describedby="help">
            ${rows.map((item) => this.renderRow(item, now))}
          </ul>
        </section>`;
      })}
      <p part="message" role="status">${this.message}</p>`;
  }
}
