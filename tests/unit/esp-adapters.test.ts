/**
 * Every provider sample of tests/fixtures/esp (copied from shared/fixtures/esp, provenance in its
 * index.json) is parsed to the normalised event written out here by hand from the sample.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NormalisedEvent, PayloadError } from '../../server/src/marketing/email-events';
import { parseJsonBody } from '../../server/src/marketing/json-body';
import { parseBrevo } from '../../server/src/marketing/providers/brevo';
import { parseMailgun } from '../../server/src/marketing/providers/mailgun';
import { parseMailjet } from '../../server/src/marketing/providers/mailjet';
import { parsePostmark } from '../../server/src/marketing/providers/postmark';
import { parseSendgrid } from '../../server/src/marketing/providers/sendgrid';

const directory = new URL('../fixtures/esp/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, directory));

type Expected = Partial<Omit<NormalisedEvent, 'occurred_at' | 'raw'>> & { occurred_at: string };

const SG_TIME = '2017-12-15T00:59:29.000Z';
const SG_MESSAGE = '14c5d75ce93.dfd.64b469';
const sendgrid = (event: Partial<Expected>): Expected => ({
  provider: 'sendgrid',
  recipient: 'example@test.com',
  occurred_at: SG_TIME,
  message_id: SG_MESSAGE,
  campaign: 'cat facts',
  url: null,
  bounce_type: null,
  machine_open: false,
  ...event,
});
const BATCH = { dedupe_key: 'sg_event_id', message_id: 'sg_message_id' };

const BREVO_TIME = '2018-03-06T19:10:23.000Z';
const BREVO_MESSAGE = '201803011158.9876543210@smtp-relay.mailin.fr';
const brevo = (event: Partial<Expected>): Expected => ({
  provider: 'brevo',
  recipient: 'recipient@example.com',
  occurred_at: BREVO_TIME,
  message_id: BREVO_MESSAGE,
  campaign: null,
  url: null,
  bounce_type: null,
  machine_open: false,
  ...event,
});

const mailgun = (event: Partial<Expected> & { occurred_at: string }): Expected => ({
  provider: 'mailgun',
  recipient: 'recipient@example.com',
  campaign: null,
  url: null,
  bounce_type: null,
  machine_open: false,
  ...event,
});

const postmark = (event: Partial<Expected> & { occurred_at: string }): Expected => ({
  provider: 'postmark',
  recipient: 'recipient@example.com',
  url: null,
  bounce_type: null,
  machine_open: false,
  ...event,
});

const mailjet = (event: Partial<Expected> & { occurred_at: string }): Expected => ({
  provider: 'mailjet',
  recipient: 'api@mailjet.com',
  url: null,
  bounce_type: null,
  machine_open: false,
  ...event,
});

const CASES: Record<string, { parse: (body: unknown) => NormalisedEvent[]; expected: Expected[] }> = {
  'sendgrid-batch-all-events.json': {
    parse: parseSendgrid,
    expected: [
      sendgrid({ ...BATCH, type: 'sent', provider_event: 'processed' }),
      sendgrid({ ...BATCH, type: 'deferred', provider_event: 'deferred' }),
      sendgrid({ ...BATCH, type: 'delivered', provider_event: 'delivered' }),
      sendgrid({ ...BATCH, type: 'opened', provider_event: 'open' }),
      sendgrid({ ...BATCH, type: 'clicked', provider_event: 'click', url: 'http://www.sendgrid.com/' }),
      sendgrid({ ...BATCH, type: 'bounced', provider_event: 'bounce', bounce_type: 'hard' }),
      sendgrid({ ...BATCH, type: 'dropped', provider_event: 'dropped' }),
      sendgrid({ ...BATCH, type: 'spam_complaint', provider_event: 'spamreport' }),
      sendgrid({ ...BATCH, type: 'unsubscribed', provider_event: 'unsubscribe' }),
      sendgrid({ ...BATCH, type: 'unsubscribed', provider_event: 'group_unsubscribe' }),
      sendgrid({ ...BATCH, type: 'resubscribed', provider_event: 'group_resubscribe' }),
    ],
  },
  'sendgrid-bounce-blocked.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: '6g4ZI7SA-xmRDv57GoPIPw==', type: 'bounced', bounce_type: 'soft' })],
  },
  'sendgrid-bounce.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: '6g4ZI7SA-xmRDv57GoPIPw==', type: 'bounced', bounce_type: 'hard' })],
  },
  'sendgrid-click-full.json': {
    parse: parseSendgrid,
    expected: [
      sendgrid({
        dedupe_key: 'sendgrid_internal_event_id',
        type: 'clicked',
        recipient: 'email@example.com',
        occurred_at: '2009-08-11T00:00:00.000Z',
        message_id: 'sendgrid_internal_message_id',
        campaign: 'category1',
        url: 'http://yourdomain.com/blog/news.html',
      }),
    ],
  },
  'sendgrid-click.json': {
    parse: parseSendgrid,
    expected: [
      sendgrid({ dedupe_key: 'kCAi1KttyQdEKHhdC-nuEA==', type: 'clicked', url: 'http://www.sendgrid.com/' }),
    ],
  },
  'sendgrid-deferred.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 't7LEShmowp86DTdUW8M-GQ==', type: 'deferred' })],
  },
  'sendgrid-delivered.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'rWVYmVk90MjZJ9iohOBa3w==', type: 'delivered' })],
  },
  'sendgrid-dropped.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'zmzJhfJgAfUSOW80yEbPyw==', type: 'dropped' })],
  },
  'sendgrid-group_resubscribe.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'w_u0vJhLT-OFfprar5N93g==', type: 'resubscribed' })],
  },
  'sendgrid-group_unsubscribe.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'ahSCB7xYcXFb-hEaawsPRw==', type: 'unsubscribed' })],
  },
  'sendgrid-marketing-campaign-ab-processed.json': {
    parse: parseSendgrid,
    expected: [
      sendgrid({
        dedupe_key: 'qNOzbkTuTNCdxa1eXEpnXg',
        type: 'sent',
        recipient: 'tadpole_0010@stbase-018.sjc1.sendgrid.net',
        occurred_at: '2015-09-15T20:44:08.000Z',
        message_id: '5lFl7Fr1Rjme_EyzNNB_5A',
        campaign: '23314',
      }),
    ],
  },
  'sendgrid-marketing-campaign-processed.json': {
    parse: parseSendgrid,
    expected: [
      sendgrid({
        dedupe_key: 'sendgrid_internal_event_id',
        type: 'sent',
        recipient: 'email@example.com',
        occurred_at: '2015-09-15T20:37:08.000Z',
        message_id: 'sendgrid_internal_message_id',
        campaign: '12345',
      }),
    ],
  },
  'sendgrid-open.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'FOTFFO0ecsBE-zxFXfs6WA==', type: 'opened', provider_event: 'open' })],
  },
  'sendgrid-processed.json': {
    parse: parseSendgrid,
    // The processed event's filter suffix differs from the later events'; the message is the same.
    expected: [sendgrid({ dedupe_key: 'rbtnWrG1DVDGGGFHFyun0A==', type: 'sent', message_id: SG_MESSAGE })],
  },
  'sendgrid-spamreport.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: '37nvH5QBz858KGVYCM4uOA==', type: 'spam_complaint' })],
  },
  'sendgrid-unsubscribe.json': {
    parse: parseSendgrid,
    expected: [sendgrid({ dedupe_key: 'zz_BjPgU_5pS-J8vlfB1sg==', type: 'unsubscribed' })],
  },

  'brevo-marketing-spam.doc.json': {
    parse: parseBrevo,
    expected: [
      brevo({
        type: 'spam_complaint',
        provider_event: 'spam',
        recipient: 'example@domain.com',
        occurred_at: '2020-11-09T14:55:37.000Z',
        message_id: 'campaign-xx',
        campaign: 'xx',
      }),
    ],
  },
  'brevo-transactional-blocked.live.json': { parse: parseBrevo, expected: [brevo({ type: 'dropped' })] },
  'brevo-transactional-click.live.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'clicked', url: 'https://example.com/click/me' })],
  },
  'brevo-transactional-deferred.live.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'deferred', recipient: 'notauser@example.com' })],
  },
  'brevo-transactional-delivered.live.json': { parse: parseBrevo, expected: [brevo({ type: 'delivered' })] },
  'brevo-transactional-hard_bounce.live.json': {
    parse: parseBrevo,
    expected: [
      brevo({
        type: 'bounced',
        bounce_type: 'hard',
        recipient: 'not-a-user@example.com',
        campaign: 'header-tag',
      }),
    ],
  },
  'brevo-transactional-opened.live.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'opened', provider_event: 'opened' })],
  },
  'brevo-transactional-proxy_open.json': {
    parse: parseBrevo,
    expected: [
      brevo({
        type: 'opened',
        provider_event: 'proxy_open',
        machine_open: true,
        recipient: 'example@domain.com',
        occurred_at: '2018-08-17T06:18:02.000Z',
        message_id: '201798300811.5787683@relay.domain.com',
        campaign: 'transactionalTag',
      }),
    ],
  },
  'brevo-transactional-request.doc.json': {
    parse: parseBrevo,
    // ts_epoch is documented in milliseconds but this example gives seconds.
    expected: [
      brevo({
        type: 'sent',
        provider_event: 'request',
        recipient: 'example@domain.com',
        occurred_at: '2020-11-09T14:54:14.000Z',
        message_id: '201798300811.5787683@relay.domain.com',
        campaign: 'transac_messages',
      }),
    ],
  },
  'brevo-transactional-request.live.json': {
    parse: parseBrevo,
    expected: [
      brevo({
        type: 'sent',
        message_id: '201803062010.27287306012@smtp-relay.mailin.fr',
        campaign: 'tag1',
      }),
    ],
  },
  'brevo-transactional-soft_bounce.live.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'bounced', bounce_type: 'soft', recipient: 'recipient@no-mx.example.com' })],
  },
  'brevo-transactional-spam.guess.json': { parse: parseBrevo, expected: [brevo({ type: 'spam_complaint' })] },
  'brevo-transactional-unique_opened.live.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'opened', provider_event: 'unique_opened' })],
  },
  'brevo-transactional-unsubscribe.guess.json': {
    parse: parseBrevo,
    expected: [brevo({ type: 'unsubscribed' })],
  },

  'mailgun-clicked.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'G5zMz2ysS6OxZ2C8xb2Tqg',
        type: 'clicked',
        occurred_at: '2013-08-21T08:59:24.095Z',
        message_id: '20130821085807.30688.67706@samples.mailgun.org',
        url: 'http://example.com/signup',
      }),
    ],
  },
  'mailgun-complained.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'ncV2XwymRUKbPek_MIM-Gw',
        type: 'spam_complaint',
        recipient: 'foo@example.com',
        occurred_at: '2013-08-22T23:31:00.050Z',
        message_id: '20130718032413.263EE2E0926@example.com',
      }),
    ],
  },
  'mailgun-delivered.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'hK7mQVt1QtqRiOfQXta4sw',
        type: 'delivered',
        recipient: 'john@example.com',
        occurred_at: '2018-06-22T18:29:59.626Z',
        message_id: '20180622182958.1.48906CB188F1A454@exmple.org',
      }),
    ],
  },
  'mailgun-failed-permanent-delayed-bounce.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'ZDMqRgjLTDi6rQcy7K60aA',
        type: 'bounced',
        bounce_type: 'hard',
        provider_event: 'failed',
        recipient: 'christest123@test.com',
        occurred_at: '2022-10-19T21:15:38.405Z',
        message_id: '20221019211537.93011d31ea99c5a8@test.com',
      }),
    ],
  },
  'mailgun-failed-permanent.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'pl271FzxTTmGRW8Uj3dUWw',
        type: 'dropped',
        recipient: 'slava@mailgun.com',
        occurred_at: '2018-06-22T21:12:49.818Z',
        message_id: '20180622211249.1.2A6098970A380E12@example.org',
      }),
    ],
  },
  'mailgun-failed-temporary.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'xYrATi63Rke8EC_s7EoJeA',
        type: 'deferred',
        recipient: 'test@test.com',
        occurred_at: '2022-10-06T14:28:43.872Z',
        message_id: '20221006142837.1618e01bf42da9fa@test.com',
      }),
    ],
  },
  'mailgun-opened.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: '-laxIqj9QWubsjY_3pTq_g',
        type: 'opened',
        occurred_at: '2013-08-21T01:09:03.042Z',
        message_id: '20130821005614.19826.35976@samples.mailgun.org',
      }),
    ],
  },
  'mailgun-unsubscribed.json': {
    parse: parseMailgun,
    expected: [
      mailgun({
        dedupe_key: 'W3X4JOhFT-OZidZGKKr9iA',
        type: 'unsubscribed',
        occurred_at: '2013-08-22T23:23:11.421Z',
        message_id: '20130822232216.13966.79700@samples.mailgun.org',
      }),
    ],
  },

  'postmark-bounce.doc.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        dedupe_key: 'Bounce:42',
        type: 'bounced',
        bounce_type: 'hard',
        provider_event: 'Bounce:HardBounce',
        recipient: 'john@example.com',
        occurred_at: '2014-08-01T17:28:10.273Z',
        message_id: '883953f4-6105-42a2-a16a-77a8eac79483',
        campaign: 'Test',
      }),
    ],
  },
  'postmark-bounce.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        dedupe_key: 'Bounce:901542550',
        type: 'bounced',
        bounce_type: 'hard',
        recipient: 'bounce@example.com',
        occurred_at: '2016-04-27T20:28:50.396Z',
        message_id: '2706ee8a-737c-4285-b032-ccd317af53ed',
        campaign: null,
      }),
    ],
  },
  'postmark-click.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        type: 'clicked',
        provider_event: 'Click',
        occurred_at: '2017-10-25T15:21:11.906Z',
        message_id: 'f4830d10-9c35-4f0c-bca3-3d9b459821f8',
        url: 'https://example.com/click/me',
        campaign: 'welcome-email',
      }),
    ],
  },
  'postmark-delivery.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        type: 'delivered',
        occurred_at: '2014-08-01T17:28:10.273Z',
        message_id: '883953f4-6105-42a2-a16a-77a8eac79483',
        campaign: 'welcome-email',
      }),
    ],
  },
  'postmark-open.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        type: 'opened',
        occurred_at: '2016-04-27T20:21:41.249Z',
        message_id: 'f4830d10-9c35-4f0c-bca3-3d9b459821f8',
        campaign: null,
      }),
    ],
  },
  'postmark-spamcomplaint.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        dedupe_key: 'SpamComplaint:901542550',
        type: 'spam_complaint',
        recipient: 'spam@example.com',
        occurred_at: '2016-04-27T20:28:50.396Z',
        message_id: '2706ee8a-737c-4285-b032-ccd317af53ed',
        campaign: 'Test',
      }),
    ],
  },
  'postmark-subscriptionchange-unsubscribe.json': {
    parse: parsePostmark,
    expected: [
      postmark({
        type: 'unsubscribed',
        provider_event: 'SubscriptionChange',
        recipient: 'john@example.com',
        occurred_at: '2022-06-05T17:17:32.000Z',
        message_id: 'a4909a96-73d7-4c49-b148-a54522d3f7ac',
        campaign: 'welcome-email',
      }),
    ],
  },

  'mailjet-batch-sent.json': {
    parse: parseMailjet,
    // Both ids exceed 2^53 and differ by one: a lossy parse would make them equal.
    expected: [
      mailjet({
        type: 'sent',
        occurred_at: '2015-06-03T12:19:09.000Z',
        message_id: '19421777835146490',
        campaign: '7257',
      }),
      mailjet({
        type: 'sent',
        occurred_at: '2015-06-03T12:19:09.000Z',
        message_id: '19421777835146491',
        campaign: '7257',
      }),
    ],
  },
  'mailjet-blocked.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'dropped',
        recipient: 'bounce@mailjet.com',
        occurred_at: '2015-05-05T07:49:55.000Z',
        message_id: '13792286917004336',
        campaign: null,
      }),
    ],
  },
  'mailjet-bounce.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'bounced',
        bounce_type: 'hard',
        recipient: 'bounce@mailjet.com',
        occurred_at: '2015-05-05T07:49:55.000Z',
        message_id: '13792286917004336',
        campaign: null,
      }),
    ],
  },
  'mailjet-click.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'clicked',
        occurred_at: '2015-06-03T12:30:53.000Z',
        message_id: '19421777836302490',
        campaign: '7272',
        url: 'https://mailjet.com',
      }),
    ],
  },
  'mailjet-open.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'opened',
        occurred_at: '2015-05-31T20:18:39.000Z',
        message_id: '19421777396190490',
        campaign: '7173',
      }),
    ],
  },
  'mailjet-sent.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'sent',
        occurred_at: '2015-06-03T12:19:09.000Z',
        message_id: '19421777835146490',
        campaign: '7257',
      }),
    ],
  },
  'mailjet-spam.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'spam_complaint',
        recipient: 'bounce@mailjet.com',
        occurred_at: '2015-05-05T07:49:55.000Z',
        message_id: '13792286917004336',
        campaign: null,
      }),
    ],
  },
  'mailjet-unsub.json': {
    parse: parseMailjet,
    expected: [
      mailjet({
        type: 'unsubscribed',
        occurred_at: '2015-06-03T12:35:41.000Z',
        message_id: '20547674933128000',
        campaign: '7276',
      }),
    ],
  },
};

/** Samples that are not one event: signature material, or an envelope whose event the docs elide. */
const NOT_EVENTS = new Set([
  'index.json',
  'sendgrid-signature-vectors.json',
  'mailgun-signature-block.doc.json',
  'mailgun-webhook-envelope.json',
]);

describe('provider adapters against the providers’ samples', () => {
  it('has an expectation for every sample', () => {
    const samples = readdirSync(directory).filter((file) => !NOT_EVENTS.has(file));
    expect(samples.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))('%s', (file, { parse, expected }) => {
    const raw = read(file);
    const events = parse(parseJsonBody(raw));
    expect(
      events.map(({ raw: _raw, occurred_at, ...event }) => ({
        ...event,
        occurred_at: occurred_at.toISOString(),
      })),
    ).toMatchObject(expected);
    expect(events).toHaveLength(expected.length);
    for (const event of events) {
      expect(event.dedupe_key.length).toBeGreaterThan(0);
      // The stored raw event is the sample's event, numbers digit for digit.
      const sample = JSON.parse(raw.toString()) as unknown;
      const originals = Array.isArray(sample) ? sample : [sample];
      expect(originals.map((original) => JSON.stringify(original))).toContain(
        JSON.stringify(JSON.parse(event.raw)),
      );
    }
  });

  it('keeps Mailjet message ids exact in the stored raw JSON', () => {
    const [event] = parseMailjet(parseJsonBody(read('mailjet-batch-sent.json')));
    expect(event!.raw).toContain('"MessageID":19421777835146490');
  });

  it('keys content-identified events the same on redelivery and apart when anything differs', () => {
    const body = parseJsonBody(read('brevo-transactional-click.live.json'));
    const [first] = parseBrevo(body);
    const [again] = parseBrevo(parseJsonBody(read('brevo-transactional-click.live.json')));
    const [other] = parseBrevo({ ...(body as object), link: 'https://example.com/other' });
    expect(again!.dedupe_key).toBe(first!.dedupe_key);
    expect(other!.dedupe_key).not.toBe(first!.dedupe_key);
  });

  it('reads the Mailgun envelope and names what its elided event lacks', () => {
    const body = parseJsonBody(read('mailgun-webhook-envelope.json'));
    expect(() => parseMailgun(body)).toThrow(PayloadError);
    try {
      parseMailgun(body);
    } catch (error) {
      expect((error as PayloadError).field).toBe('event-data.recipient');
    }
  });

  it('refuses a sample without its time with the field named', () => {
    const { ts_epoch: _time, ...event } = JSON.parse(read('brevo-transactional-opened.live.json').toString());
    expect(() => parseBrevo(event)).toThrow(/ts_epoch/);
  });
});
