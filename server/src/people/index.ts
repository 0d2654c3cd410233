export {
  COLUMNS as PERSON_COLUMNS,
  filteredPeople,
  findPersonIdByEmail,
  type Person,
  type PersonFilters,
} from './person-repository';
export { personRoutes } from './person-routes';
export type { PeopleDeps, WaitingForAddress } from './person-service';
