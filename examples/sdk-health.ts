/**
 * The smallest SDK program: ask a Relais server whether it is alive and ready.
 *
 *   npx tsx examples/sdk-health.ts http://127.0.0.1:3000
 */
import { createRelaisClient } from '../sdk/src';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:3000';
const relais = createRelaisClient({ baseUrl });

const health = await relais.GET('/health');
const ready = await relais.GET('/ready');
if (health.error || !ready.data) {
  process.stderr.write(`Relais at ${baseUrl} is not ready: ${JSON.stringify(health.error ?? ready.error)}\n`);
  process.exit(1);
}
process.stdout.write(
  `Relais at ${baseUrl}: ${ready.data.status} (database ${ready.data.checks.database.status})\n`,
);
