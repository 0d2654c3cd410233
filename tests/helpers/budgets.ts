/**
 * Time budgets by kind of test, sized for this project's reference machine (2 cores) with the
 * other core fully busy — a budget is a ceiling for a stuck test, never a speed check (speed is
 * measured in bench/). The kind is the test file's folder.
 */
import { expect, vi } from 'vitest';

export const BUDGETS = {
  /** Pure functions and files: no database, no server. */
  unit: { testTimeout: 10_000, hookTimeout: 10_000 },
  /** An app in this process against a cloned database and Redis. */
  api: { testTimeout: 30_000, hookTimeout: 60_000 },
  /** Real processes, browsers and proxies: builds, spawns, Chromium, restarts. */
  endToEnd: { testTimeout: 180_000, hookTimeout: 240_000 },
} as const;

/**
 * A server process's first start: an embedded PostgreSQL cluster initialised (initdb), every
 * migration applied, the demo data loaded — the slowest wait of the suite, given its own budget.
 */
export const SERVER_START_MS = 90_000;

export function budgetFor(file: string): (typeof BUDGETS)[keyof typeof BUDGETS] {
  if (/[\\/]tests[\\/]unit[\\/]/.test(file)) return BUDGETS.unit;
  if (/[\\/](tests[\\/]e2e|sdk[\\/]test)[\\/]/.test(file)) return BUDGETS.endToEnd;
  return BUDGETS.api;
}

// As a setup file: applied before the test file is collected, so its tests and hooks take it.
const file = expect.getState().testPath;
if (file) vi.setConfig(budgetFor(file));
