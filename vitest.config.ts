import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'sdk/test/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // Two cores: two test files at a time, each with its own database.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is read by scripts/check-test-report.mjs: vitest can exit 0 when a test file fails to load.
    reporters: ['default', ['json', { outputFile: 'coverage/vitest-report.json' }]],
  },
});
