/** French and English, and dates, numbers and relative times through `Intl`. */

export type Lang = 'fr' | 'en';

const EMAIL_EVENTS_EN: Record<string, string> = {
  sent: 'sent',
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  deferred: 'deferred',
  bounced: 'bounced',
  dropped: 'dropped',
  unsubscribed: 'unsubscribe',
  resubscribed: 'resubscribe',
  spam_complaint: 'marked as spam',
  failed: 'failed',
};
const EMAIL_EVENTS_FR: Record<string, string> = {
  sent: 'envoyé',
  delivered: 'délivré',
  opened: 'ouvert',
  clicked: 'cliqué',
  deferred: 'différé',
  bounced: 'rejeté',
  dropped: 'abandonné',
  unsubscribed: 'désinscription',
  resubscribed: 'réinscription',
  spam_complaint: 'signalé comme spam',
  failed: 'en échec',
};

const en = {
  loading: 'Loading…',
  empty: 'Nothing here yet.',
  error: 'This could not be loaded.',
  retry: 'Try again',
  forbidden: 'This widget is not allowed to show this.',
  offline: 'Reconnecting… what you see may be out of date.',
  timeline: 'Timeline',
  newItems: (n: number) => (n === 1 ? '1 new item' : `${n} new items`),
  loadMore: 'Load more',
  inbox: 'Inbox',
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  no_date: 'No date',
  done: 'Done',
  snooze: 'Snooze',
  snoozeUntil: 'Snooze until',
  tomorrow: 'Tomorrow 9:00',
  inThreeDays: 'In 3 days',
  nextWeek: 'Next Monday 9:00',
  open: 'Open',
  markedDone: (title: string) => `“${title}” marked done.`,
  snoozed: (title: string) => `“${title}” snoozed.`,
  refused: 'The change was refused; the item is back as it was.',
  conflict: 'Someone changed this item meanwhile; it is back as it was.',
  inboxHelp: 'Arrow keys move between items; Enter opens; D marks done; S snoozes.',
  leadScore: 'Lead score',
  hot: 'Hot',
  scoreChanged: (from: string, to: string) => `Score changed from ${from} to ${to}.`,
  trend: '90-day trend',
  showLedger: 'Show what made this score',
  hideLedger: 'Hide the details',
  points: (n: number) => `${n > 0 ? '+' : ''}${n} pts`,
  hotLeads: 'Hot leads',
  up: 'up',
  down: 'down',
  steady: 'steady',
  owner: 'Owner',
  nobody: 'Unassigned',
  participants: 'With',
  types: {
    email: 'Email',
    call: 'Call',
    meeting: 'Meeting',
    video_call: 'Video call',
    note: 'Note',
    event: 'Event',
    other: 'Other',
  } as Record<string, string>,
  emailEvent: (type: string) => `Email ${EMAIL_EVENTS_EN[type] ?? type}`,
};

const fr: typeof en = {
  loading: 'Chargement…',
  empty: 'Rien pour l’instant.',
  error: 'Le chargement a échoué.',
  retry: 'Réessayer',
  forbidden: 'Ce widget n’a pas le droit d’afficher ceci.',
  offline: 'Reconnexion… l’affichage peut ne pas être à jour.',
  timeline: 'Historique',
  newItems: (n) => (n === 1 ? '1 nouvel élément' : `${n} nouveaux éléments`),
  loadMore: 'Afficher plus',
  inbox: 'À traiter',
  overdue: 'En retard',
  today: 'Aujourd’hui',
  upcoming: 'À venir',
  no_date: 'Sans date',
  done: 'Fait',
  snooze: 'Reporter',
  snoozeUntil: 'Reporter au',
  tomorrow: 'Demain 9 h',
  inThreeDays: 'Dans 3 jours',
  nextWeek: 'Lundi prochain 9 h',
  open: 'Ouvrir',
  markedDone: (title) => `« ${title} » marqué comme fait.`,
  snoozed: (title) => `« ${title} » reporté.`,
  refused: 'La modification a été refusée ; l’élément est revenu à son état.',
  conflict: 'Quelqu’un a modifié cet élément entre-temps ; il est revenu à son état.',
  inboxHelp: 'Flèches : se déplacer ; Entrée : ouvrir ; D : fait ; S : reporter.',
  leadScore: 'Score du contact',
  hot: 'Chaud',
  scoreChanged: (from, to) => `Le score est passé de ${from} à ${to}.`,
  trend: 'Tendance sur 90 jours',
  showLedger: 'Voir ce qui compose ce score',
  hideLedger: 'Masquer le détail',
  points: (n) => `${n > 0 ? '+' : ''}${n} pts`,
  hotLeads: 'Contacts chauds',
  up: 'en hausse',
  down: 'en baisse',
  steady: 'stable',
  owner: 'Responsable',
  nobody: 'Non attribué',
  participants: 'Avec',
  types: {
    email: 'E-mail',
    call: 'Appel',
    meeting: 'Réunion',
    video_call: 'Visio',
    note: 'Note',
    event: 'Événement',
    other: 'Autre',
  },
  emailEvent: (type) => `E-mail ${EMAIL_EVENTS_FR[type] ?? type}`,
};

export const messages: Record<Lang, typeof en> = { en, fr };
export type Messages = typeof en;

/** The element's language: its own `lang`, else its nearest ancestor's, else the browser's. */
export function langOf(element: Element): Lang {
  const lang = element.closest('[lang]')?.getAttribute('lang') || globalThis.navigator?.language || 'en';
  return lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The element's time zone: its own `timezone`, else its nearest ancestor's, else `fallback`. */
export function timeZoneOf(element: Element, fallback: string | undefined): string | undefined {
  return element.closest('[timezone]')?.getAttribute('timezone') || fallback;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

// Intl formatters are costly to build: one per language and zone, built once.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  build: () => T,
): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = build();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** A formatter in `timeZone`, or in the browser's when that zone is unknown (a mistyped attribute). */
function inZone(timeZone: string | undefined, build: (zone: string | undefined) => Intl.DateTimeFormat) {
  try {
    return build(timeZone);
  } catch {
    return build(undefined);
  }
}

/** "3 hours ago", "in 2 days", "il y a 5 minutes". */
export function relativeTime(iso: string, lang: Lang, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const format = cached(`r:${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** "30 November 2026, 14:05" in the element's zone. */
export function absoluteTime(iso: string, lang: Lang, timeZone: string | undefined): string {
  return cached(`a:${lang}:${timeZone}`, () =>
    inZone(
      timeZone,
      (zone) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: zone }),
    ),
  ).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) in a zone, to compare days. */
export function dayIn(date: Date, timeZone: string | undefined): string {
  return cached(`d:${timeZone}`, () =>
    inZone(
      timeZone,
      (zone) =>
        new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }),
    ),
  ).format(date);
}

export function formatNumber(value: number, lang: Lang, digits = 1): string {
  return cached(
    `n:${lang}:${digits}`,
    () => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }),
  ).format(value);
}
