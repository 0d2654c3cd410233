/**
 * The Relais tags for JSX (React 19 sets properties and custom-event listeners on custom elements
 * itself: `onrelais-open` listens to `relais-open`). Copy this file into your app.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type RelaisProps = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
  theme?: 'light' | 'dark';
  'onrelais-open'?: (event: CustomEvent) => void;
  'onrelais-ready'?: (event: CustomEvent) => void;
  'onrelais-error'?: (event: CustomEvent<{ code: string; status: number; message: string }>) => void;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'relais-timeline': RelaisProps & { 'person-id'?: string; 'organisation-id'?: string };
      'relais-inbox': RelaisProps & { 'onrelais-action'?: (event: CustomEvent) => void };
      'relais-lead-score': RelaisProps & { 'person-id': string };
      'relais-hot-leads': RelaisProps & { limit?: number };
    }
  }
}
