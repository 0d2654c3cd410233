import type { Knex } from '../platform/data/db';
import type { JobDefinition } from '../platform/runtime/jobs';
import { backupDatabase } from './backup-service';

/** The scheduled backup (worker role, when `BACKUP_DIR` is set). */
export function backupJob(
  db: Knex,
  options: { databaseUrl: string; dir: string; every: string; keep: number },
): JobDefinition<'maintenance.backup'> {
  return {
    name: 'maintenance.backup',
    every: options.every,
    maxRetries: 2,
    run: async (_data, context) => {
      const entry = await backupDatabase(db, options);
      context.log.info({ file: entry.file, bytes: entry.bytes, sha256: entry.sha256 }, 'backup written');
    },
  };
}
