export { Realtime, realtimeRoutes } from './realtime-routes';
export { canReceive } from './visibility';
