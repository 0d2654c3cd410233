export {
  filteredOrganisations,
  type Organisation,
  type OrganisationFilters,
} from './organisation-repository';
export { organisationRoutes } from './organisation-routes';
