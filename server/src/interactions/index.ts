export { createEmailOpenInteractions } from './email-open-interactions';
export { getInbox } from './inbox-service';
export { dispatchDueReminders, reminderJob } from './interaction-jobs';
export {
  COLUMNS as INTERACTION_COLUMNS,
  countInteractionsOf,
  filteredInteractions,
  type InteractionFilters,
} from './interaction-repository';
export { interactionRoutes } from './interaction-routes';
export { type Clock, listInteractions } from './interaction-service';
export { interactionCacheTags, newPersonCacheTags, personCacheTags } from './timeline-service';
