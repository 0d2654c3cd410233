export { backupJob } from './backup-jobs';
export { BackupError, backupDatabase, lastBackupAgeSeconds, restoreDatabase } from './backup-service';
