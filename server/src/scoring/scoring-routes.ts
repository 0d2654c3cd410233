import { ValidationError } from '../platform/core/errors';
import { actingUser } from '../platform/core/principal';
import { minuteOf, tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { listLeadScores, personLeadScore } from './lead-score-service';
import { getRecompute, requestRecompute } from './recompute-service';
import { currentRules, type ScoringRule, saveRules } from './scoring-rules';

export function scoringRoutes(deps: ServiceDeps, clock: () => Date): Routes {
  const { db, cache } = deps;
  const routes = new Routes();

  routes.get('/v1/lead-scores', can('lead_scores', 'read'), async (req, reply) => {
    const query = req.query;
    const now = clock();
    const load = () => listLeadScores(db, query, now);
    // First pages (hot leads) are cached per minute of decay: scores move by millionths meanwhile.
    const key = `${minuteOf(now)}:${JSON.stringify(query)}`;
    reply.send(
      query.cursor ? await load() : await cache.read('lead-scores', key, [tags.scores, tags.people], load),
    );
  });

  routes.get('/v1/people/:id/lead-score', can('lead_scores', 'read'), async (req, reply) => {
    const { entries_limit } = req.query;
    reply.send(await personLeadScore(db, req.params.id, entries_limit, clock()));
  });

  routes.get('/v1/scoring-rules', can('scoring_rules', 'read'), async (_req, reply) => {
    reply.send(await currentRules(db));
  });

  routes.put('/v1/scoring-rules', can('scoring_rules', 'update'), async (req, reply) => {
    // Validation filled each rule's defaults (`first_per_message`, `daily_cap`, …), which the
    // spec's type leaves optional.
    const input = req.body as { rules: ScoringRule[]; half_life_days: number; hot_threshold: number };
    assertRulesConsistent(input.rules);
    const userId = actingUser(contextOf(req).principal)?.id ?? null;
    const rules = await saveRules(deps, input, userId);
    reply.send({ rules, recompute: await requestRecompute(db, userId) });
  });

  routes.post('/v1/lead-scores/recompute', can('lead_scores', 'manage'), async (req, reply) => {
    const recompute = await requestRecompute(db, actingUser(contextOf(req).principal)?.id ?? null);
    reply.code(202).header('Location', `/v1/lead-scores/recompute/${recompute.id}`).send(recompute);
  });

  routes.get('/v1/lead-scores/recompute/:id', can('lead_scores', 'manage'), async (req, reply) => {
    reply.send(await getRecompute(db, req.params.id));
  });

  return routes;
}

/** What the schema cannot say: keys unique, bounce types only on bounce rules. */
function assertRulesConsistent(rules: ScoringRule[]): void {
  const errors: { in: 'body'; field: string; message: string }[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.key))
      errors.push({
        in: 'body',
        field: `rules[${index}].key`,
        message: `"${rule.key}" is used by an earlier rule; keys must be unique`,
      });
    seen.add(rule.key);
    if (rule.bounce_type && rule.event_type !== 'bounced')
      errors.push({
        in: 'body',
        field: `rules[${index}].bounce_type`,
        message: 'applies only to rules of event_type bounced; remove it',
      });
  });
  if (errors.length)
    throw new ValidationError(`The rules are inconsistent: ${errors[0]!.field} ${errors[0]!.message}.`, {
      errors,
    });
}
