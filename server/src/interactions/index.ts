export { getInbox } from './inbox-service';
export { countInteractionsOf } from './interaction-repository';
export { interactionRoutes } from './interaction-routes';
export { type Clock, listInteractions } from './interaction-service';
