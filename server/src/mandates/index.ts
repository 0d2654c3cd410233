export type { Mandate } from './mandate-repository';
export { mandateRoutes } from './mandate-routes';
