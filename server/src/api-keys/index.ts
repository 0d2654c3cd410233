export { apiKeyRoutes } from './api-key-routes';
export { verifyApiKey } from './api-key-service';
