/**
 * The Relais web components, for bundler users: the classes (no side effects) and `defineAll()`.
 * The one-script-tag module (`/embed/relais-elements.js`) is `browser.ts`.
 */
import { define } from './base';
import { RelaisHotLeads } from './hot-leads';
import { RelaisInbox } from './inbox';
import { RelaisLeadScore } from './lead-score';
import { RelaisTimeline } from './timeline';

export { define, type ElementState, type ErrorCode, RelaisElement } from './base';
export { RelaisHotLeads } from './hot-leads';
export { type InboxAction, RelaisInbox } from './inbox';
export { RelaisLeadScore } from './lead-score';
export { type Connection, configure, type RelaisConfig, RelaisRuntime, runtime } from './runtime';
export { RelaisTimeline } from './timeline';

export const VERSION = '0.1.0';

/** Registers the four elements under their `relais-*` names (skipping any already defined). */
export function defineAll(): void {
  define('relais-timeline', RelaisTimeline);
  define('relais-inbox', RelaisInbox);
  define('relais-lead-score', RelaisLeadScore);
  define('relais-hot-leads', RelaisHotLeads);
}

declare global {
  interface HTMLElementTagNameMap {
    'relais-timeline': RelaisTimeline;
    'relais-inbox': RelaisInbox;
    'relais-lead-score': RelaisLeadScore;
    'relais-hot-leads': RelaisHotLeads;
  }
}
