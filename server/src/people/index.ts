export { findPersonIdByEmail, type Person } from './person-repository';
export { personRoutes } from './person-routes';
