export type { Organisation } from './organisation-repository';
export { organisationRoutes } from './organisation-routes';
