export { notificationRoutes } from './notification-routes';
export { type Notification, notify, pruneReadNotifications } from './notification-service';
