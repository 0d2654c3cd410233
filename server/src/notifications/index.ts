export { notificationRoutes } from './notification-routes';
export { type Notification, notify } from './notification-service';
