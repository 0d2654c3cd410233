export { embedTokenRoutes } from './embed-token-routes';
