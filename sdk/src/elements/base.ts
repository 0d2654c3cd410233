/**
 * What every Relais element shares: the page runtime, the states (loading, empty, error,
 * forbidden, offline) with their slots and events, the theme tokens, language and time zone.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { isRelaisError } from '../errors';
import type { RealtimeEvent } from '../realtime';
import { type Lang, langOf, type Messages, messages, timeZoneOf } from './i18n';
import { type RelaisRuntime, runtime } from './runtime';

/** What an element shows: data, or one of its states. */
export type ElementState = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';

/** `relais-error`'s machine-readable codes. */
export type ErrorCode = 'forbidden' | 'unauthenticated' | 'not_found' | 'network' | 'server';

/** The dark defaults, for `theme="dark"` and for a page that prefers dark. */
const darkPalette = css`
  --_text: var(--relais-color-text, #e7eaf0);
  --_muted: var(--relais-color-muted, #a9b1c2);
  --_bg: var(--relais-color-bg, #151922);
  --_surface: var(--relais-color-surface, #1f2530);
  --_border: var(--relais-color-border, #394152);
  --_accent: var(--relais-color-accent, #8ab4ff);
  --_hot: var(--relais-color-hot, #ff8a80);
  --_danger: var(--relais-color-danger, #ff8a80);
`;

/** The theme tokens every element reads; override them on the element or any ancestor. */
export const themeTokens = css`
  :host {
    --_text: var(--relais-color-text, #1d2330);
    --_muted: var(--relais-color-muted, #5a6275);
    --_bg: var(--relais-color-bg, #ffffff);
    --_surface: var(--relais-color-surface, #f4f6f9);
    --_border: var(--relais-color-border, #d5dae3);
    --_accent: var(--relais-color-accent, #1a56c4);
    --_hot: var(--relais-color-hot, #b3261e);
    --_danger: var(--relais-color-danger, #b3261e);
    --_radius: var(--relais-radius, 8px);
    --_space: calc(var(--relais-space, 8px) * var(--relais-density, 1));
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_bg);
    font-family: var(--relais-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--relais-font-size, 14px);
    line-height: 1.4;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.5);
    min-height: var(--relais-min-height, 12rem);
  }
  :host([theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkPalette}
    }
  }
  :host([hidden]) {
    display: none;
  }
  h2 {
    font-size: 1.05em;
    margin: 0 0 var(--_space);
  }
  button {
    font: inherit;
    color: var(--_accent);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: calc(var(--_space) / 4) var(--_space);
    cursor: pointer;
  }
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .muted {
    color: var(--_muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .skeleton {
    display: grid;
    gap: var(--_space);
  }
  .skeleton span {
    display: block;
    height: 2.6em;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface);
  }
  .state {
    padding: var(--_space) 0;
  }
  .offline {
    color: var(--_muted);
    font-size: 0.9em;
    margin: 0 0 var(--_space);
  }
  .alert {
    color: var(--_danger);
  }
  ul,
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;

export abstract class RelaisElement extends LitElement {
  static override properties: PropertyDeclarations = {
    theme: { reflect: true },
    state: { state: true },
    offline: { state: true },
  };
  /** `light` or `dark` (the `theme` attribute); by default the page's `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;
  /** @internal */
  declare state: ElementState;
  /** @internal */
  declare offline: boolean;
  protected readonly runtime: RelaisRuntime = runtime();
  private unlisten: (() => void) | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onConnection = () => {
    this.offline = this.runtime.connection === 'offline';
  };

  constructor() {
    super();
    this.state = 'loading';
    this.offline = false;
  }

  /** Loads what the element shows; errors become states. */
  protected abstract load(): Promise<void>;
  /** Renders the data (state `ready`). */
  protected abstract renderData(): TemplateResult;
  /** The element's heading, for its states. */
  protected abstract get heading(): string;
  /** Called for each event of the page's stream. */
  protected onEvent(_event: RealtimeEvent): void {}

  /** `fr` or `en`, from the element's `lang` or its nearest ancestor's. */
  protected get language(): Lang {
    return langOf(this);
  }
  protected get t(): Messages {
    return messages[this.language];
  }
  protected timeZone(fallback?: string): string | undefined {
    return timeZoneOf(this, fallback);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.runtime.addEventListener('connection', this.onConnection);
    this.unlisten = this.runtime.listen((event) => {
      if (event.type === 'sync.required') void this.reload();
      else this.onEvent(event);
    });
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.reloadTimer);
    this.runtime.removeEventListener('connection', this.onConnection);
    this.unlisten?.();
  }

  /** Reloads once a burst of events has passed (150 ms), instead of once per event. */
  protected reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 150);
  }

  /** Loads again; what is shown stays until the new data arrives. */
  async reload(): Promise<void> {
    await this.runtime.ready();
    try {
      await this.load();
      if (this.state === 'loading' || this.state === 'error') this.state = 'ready';
      this.emit('relais-ready', {});
    } catch (error) {
      this.fail(error);
    }
  }

  /** Shows the state for a failure and tells the host with a `relais-error` event. */
  protected fail(error: unknown): void {
    const status = isRelaisError(error) ? error.status : 0;
    const code: ErrorCode =
      status === 403
        ? 'forbidden'
        : status === 401
          ? 'unauthenticated'
          : status === 404
            ? 'not_found'
            : status === 0
              ? 'network'
              : 'server';
    this.state = code === 'forbidden' || code === 'not_found' ? 'forbidden' : 'error';
    this.emit('relais-error', {
      code,
      status,
      message: error instanceof Error ? error.message : String(error),
    });
  }

  /** Dispatches a composed, bubbling `relais-*` event; false when a listener cancelled it. */
  protected emit<T>(name: string, detail: T, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  protected override render(): TemplateResult {
    const t = this.t;
    const body = (() => {
      switch (this.state) {
        case 'loading':
          return html`<div class="skeleton" part="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
            <p class="visually-hidden">${t.loading}</p>`;
        case 'forbidden':
          return html`<div class="state" part="forbidden" role="status"><slot name="forbidden">${t.forbidden}</slot></div>`;
        case 'error':
          return html`<div class="state" part="error" role="alert">
            <slot name="error">${t.error}</slot>
            <button part="button retry" @click=${() => this.reload()}>${t.retry}</button>
          </div>`;
        case 'empty':
          return html`<div class="state muted" part="empty"><slot name="empty">${t.empty}</slot></div>`;
        default:
          return this.renderData();
      }
    })();
    return html`<section part="container" aria-label=${this.heading} aria-busy=${this.state === 'loading' ? 'true' : 'false'}>
      <h2 part="header">${this.heading}</h2>
      ${this.offline ? html`<p class="offline" part="offline" role="status"><slot name="offline">${t.offline}</slot></p>` : nothing}
      ${body}
    </section>`;
  }
}

/** Defines an element unless another copy of the script already has: warns, never throws. */
export function define(name: string, element: CustomElementConstructor): void {
  const registry = globalThis.customElements;
  if (!registry) return;
  if (registry.get(name)) {
    if (registry.get(name) !== element)
      console.warn(`<${name}> is already defined by another copy of the Relais elements; using that one.`);
    return;
  }
  registry.define(name, element);
}
