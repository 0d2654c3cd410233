/**
 * React 18 wrappers for the Relais elements (@lit/react): props become properties and
 * `onOpen`, `onAction`, `onReady`, `onError` listen to the `relais-*` events, which React 18 does
 * not forward from custom elements. React 19 needs none of this: use the tags directly
 * (docs/embedding.md). React is passed in, so this package does not depend on it.
 *
 * @example
 * import * as React from 'react';
 * import { createRelaisComponents } from '@relais/sdk/react';
 * const { RelaisTimeline } = createRelaisComponents(React);
 * <RelaisTimeline personId={id} onOpen={(event) => navigate(event.detail.item.id)} />
 */
import { createComponent, type EventName } from '@lit/react';
import type * as ReactModule from 'react';
import { defineAll, RelaisHotLeads, RelaisInbox, RelaisLeadScore, RelaisTimeline } from './index';

const events = {
  onOpen: 'relais-open' as EventName<CustomEvent>,
  onReady: 'relais-ready' as EventName<CustomEvent>,
  onError: 'relais-error' as EventName<CustomEvent<{ code: string; status: number; message: string }>>,
};

/** The four elements as React components (it also registers the elements). */
export function createRelaisComponents(React: typeof ReactModule) {
  defineAll();
  return {
    RelaisTimeline: createComponent({
      react: React,
      tagName: 'relais-timeline',
      elementClass: RelaisTimeline,
      events,
    }),
    RelaisInbox: createComponent({
      react: React,
      tagName: 'relais-inbox',
      elementClass: RelaisInbox,
      events: { ...events, onAction: 'relais-action' as EventName<CustomEvent> },
    }),
    RelaisLeadScore: createComponent({
      react: React,
      tagName: 'relais-lead-score',
      elementClass: RelaisLeadScore,
      events,
    }),
    RelaisHotLeads: createComponent({
      react: React,
      tagName: 'relais-hot-leads',
      elementClass: RelaisHotLeads,
      events,
    }),
  };
}

export { configure } from './runtime';
