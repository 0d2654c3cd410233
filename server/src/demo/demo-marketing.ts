/**
 * Demo email marketing: four newsletters over the last two months to 120 demo people, with the
 * delivered, opened (some by privacy proxies), clicked, unsubscribed and bounced events a provider
 * would report — ingested through the same path as real webhooks, so the demo has lead scores,
 * hot leads, email interactions and timelines.
 */
import { fakerFR as faker } from '@faker-js/faker';
import { ingestEvents, type NormalisedEvent } from '../marketing';
import type { Knex } from '../platform/data/db';
import { serviceDeps } from '../platform/runtime/service-deps';

const DAY = 86_400_000;
const CAMPAIGNS = ['market-outlook-q3', 'private-equity-letter', 'esg-briefing', 'year-end-review'];

export async function loadDemoMarketing(db: Knex, now: Date): Promise<{ email_events: number }> {
  faker.seed(20261123);
  const people: { id: string; email: string }[] = await db('people')
    .whereNotNull('email')
    .orderBy('created_at')
    .limit(120)
    .select('id', 'email');
  const events: NormalisedEvent[] = [];
  const add = (campaign: string, email: string, type: NormalisedEvent['type'], at: number, extra = {}) => {
    events.push({
      provider: 'sendgrid',
      dedupe_key: faker.string.alphanumeric(22),
      type,
      provider_event: type,
      recipient: email,
      occurred_at: new Date(Math.min(at, now.getTime() - 60_000)),
      message_id: `${campaign}.${email}`,
      campaign,
      url: null,
      bounce_type: null,
      machine_open: false,
      raw: JSON.stringify({ demo: true, campaign, type }),
      ...extra,
    });
  };
  CAMPAIGNS.forEach((campaign, index) => {
    const sentAt = now.getTime() - (56 - index * 16) * DAY;
    for (const person of people) {
      // The most engaged third opens and clicks most newsletters: they become the hot leads.
      const engagement = people.indexOf(person) < 40 ? 0.9 : 0.35;
      add(campaign, person.email, 'sent', sentAt);
      if (faker.number.float() < 0.03) {
        add(campaign, person.email, 'bounced', sentAt + 60_000, { bounce_type: 'hard' });
        continue;
      }
      add(campaign, person.email, 'delivered', sentAt + 30_000);
      if (faker.number.float() < 0.15)
        add(campaign, person.email, 'opened', sentAt + 120_000, { machine_open: true });
      if (faker.number.float() < engagement) {
        const openedAt = sentAt + faker.number.int({ min: 1, max: 72 }) * 3_600_000;
        add(campaign, person.email, 'opened', openedAt);
        if (faker.number.float() < engagement * 0.7)
          add(campaign, person.email, 'clicked', openedAt + 90_000, {
            url: `https://relais.invalid/${campaign}`,
          });
      } else if (faker.number.float() < 0.04) add(campaign, person.email, 'unsubscribed', sentAt + 5 * DAY);
    }
  });
  for (let start = 0; start < events.length; start += 500) {
    await ingestEvents(serviceDeps(db), events.slice(start, start + 500), { now });
  }
  return { email_events: events.length };
}
