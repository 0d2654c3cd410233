export { cleanUp, cleanupJob } from './maintenance-jobs';
