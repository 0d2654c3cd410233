/**
 * An independent replay of the scoring rules over a set of unique email events, written apart
 * from the SQL that scores live, so tests and the ingest bench can check that live scores equal
 * the replay.
 */
import { SCORE_EPOCH_SECONDS, type ScoringRule } from '../../server/src/scoring/scoring-rules';

export interface ReplayEvent {
  id: string;
  person_id: string | null;
  provider: string;
  dedupe_key: string;
  type: string;
  bounce_type: string | null;
  machine_open: boolean;
  message_id: string | null;
  occurred_at: Date;
}

export interface ReplayScore {
  points: number;
  entries: number;
  weighted: number;
}

export function replayScores(
  events: readonly ReplayEvent[],
  rules: { rules: ScoringRule[]; half_life_days: number },
): Map<string, ReplayScore> {
  const scores = new Map<string, ReplayScore>();
  const order = (a: ReplayEvent, b: ReplayEvent) =>
    a.occurred_at.getTime() - b.occurred_at.getTime() ||
    (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0) ||
    (a.dedupe_key < b.dedupe_key ? -1 : a.dedupe_key > b.dedupe_key ? 1 : 0);
  for (const rule of rules.rules) {
    const matching = events
      .filter(
        (event) =>
          event.person_id !== null &&
          event.type === rule.event_type &&
          (!rule.bounce_type || rule.bounce_type === event.bounce_type) &&
          !(rule.exclude_machine_opens && event.machine_open),
      )
      .sort(order);
    const firsts = new Map<string, ReplayEvent>();
    for (const event of matching) {
      const key = rule.first_per_message
        ? `${event.person_id}|${event.provider}|${event.message_id ?? event.id}`
        : event.id;
      if (!firsts.has(key)) firsts.set(key, event);
    }
    const perDay = new Map<string, number>();
    for (const event of [...firsts.values()].sort(order)) {
      const day = `${event.person_id}|${event.occurred_at.toISOString().slice(0, 10)}`;
      const count = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, count);
      if (rule.daily_cap !== null && count > rule.daily_cap) continue;
      const score = scores.get(event.person_id!) ?? { points: 0, entries: 0, weighted: 0 };
      score.points += rule.points;
      score.entries += 1;
      score.weighted +=
        rule.points *
        2 ** ((event.occurred_at.getTime() / 1000 - SCORE_EPOCH_SECONDS) / (rules.half_life_days * 86_400));
      scores.set(event.person_id!, score);
    }
  }
  return scores;
}
