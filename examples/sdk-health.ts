/**
 * The smallest SDK program: ask a Relais server whether it is alive and ready.
 *
 *   npx tsx examples/sdk-health.ts http://127.0.0.1:3000
 */
import { createRelaisClient, isRelaisError } from '../sdk/src';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:3000';
const relais = createRelaisClient({ baseUrl, maxRetries: 0 });

try {
  const ready = await relais.system.ready();
  process.stdout.write(`Relais at ${baseUrl}: ${ready.status} (database ${ready.checks.database.status})\n`);
} catch (error) {
  process.stderr.write(
    `Relais at ${baseUrl} is not ready: ${isRelaisError(error) ? error.message : error}\n`,
  );
  process.exit(1);
}
