// Fails the test command when vitest's JSON report shows any failure, including a test file that
// failed to load (vitest can exit 0 then), or when no test ran. Prints the one-line summary.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../coverage/vitest-report.json', import.meta.url), 'utf8'));
const failed = report.numFailedTests + report.numFailedTestSuites;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!report.success || failed > 0 || report.numPassedTests === 0) {
  for (const file of report.testResults.filter((result) => result.status === 'failed')) {
    console.error(`failed: ${file.name}${file.message ? ` — ${file.message.split('\n')[0]}` : ''}`);
  }
  process.exit(1);
}
