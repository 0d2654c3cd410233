export {
  COLUMNS as ORGANISATION_COLUMNS,
  filteredOrganisations,
  type Organisation,
  type OrganisationFilters,
} from './organisation-repository';
export { organisationRoutes } from './organisation-routes';
