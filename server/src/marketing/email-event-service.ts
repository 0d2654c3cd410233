/** Reading email events: the filtered list (timelines read them in `interactions`, as the spec's `EmailEvent`). */
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import { schemaColumns } from '../platform/web/openapi';
import type { SpecSchema } from '../platform/web/spec-types';

export interface EmailEvent {
  id: string;
  provider: string;
  type: SpecSchema<'EmailEventType'>;
  provider_event: string;
  recipient: string;
  person_id: string | null;
  message_id: string | null;
  campaign: string | null;
  url: string | null;
  bounce_type: 'hard' | 'soft' | null;
  machine_open: boolean;
  occurred_at: Date;
  received_at: Date;
}

const EMAIL_EVENT_COLUMNS = schemaColumns('EmailEvent', 'email_events');

export interface EmailEventFilters {
  limit: number;
  cursor?: string;
  person_id?: string;
  type?: string[];
  campaign?: string;
  provider?: string;
  occurred_after?: string;
  occurred_before?: string;
}

export function listEmailEvents(db: Knex, filters: EmailEventFilters): Promise<Page<EmailEvent>> {
  const query = db('email_events').select(EMAIL_EVENT_COLUMNS);
  if (filters.person_id) query.where('person_id', filters.person_id);
  if (filters.type?.length) query.whereIn('type', filters.type);
  if (filters.campaign) query.where('campaign', filters.campaign);
  if (filters.provider) query.where('provider', filters.provider);
  if (filters.occurred_after) query.where('occurred_at', '>=', filters.occurred_after);
  if (filters.occurred_before) query.where('occurred_at', '<', filters.occurred_before);
  return keysetPage<EmailEvent>(query, {
    tag: 'email_events:occurred_at:desc',
    sortColumn: 'occurred_at',
    sortField: 'occurred_at',
    idColumn: 'id',
    direction: 'desc',
    limit: filters.limit,
    cursor: filters.cursor,
  });
}
