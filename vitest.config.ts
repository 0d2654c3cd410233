import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'sdk/test/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Timeouts by kind of test (unit, API, end-to-end): tests/helpers/budgets.ts.
    setupFiles: ['tests/helpers/budgets.ts'],
    pool: 'forks',
    // Two cores: two test files at a time, each with its own database.
    maxWorkers: 2,
    // The JSON report is read by scripts/check-test-report.mjs: vitest can exit 0 when a test file fails to load.
    reporters: ['default', ['json', { outputFile: 'coverage/vitest-report.json' }]],
  },
});
