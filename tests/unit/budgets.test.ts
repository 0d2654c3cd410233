import { describe, expect, it } from 'vitest';
import { BUDGETS, budgetFor } from '../helpers/budgets';

describe('test budgets', () => {
  it('are chosen by the test file’s folder', () => {
    expect(budgetFor('/repo/tests/unit/config.test.ts')).toBe(BUDGETS.unit);
    expect(budgetFor('/repo/tests/api/people.test.ts')).toBe(BUDGETS.api);
    expect(budgetFor('/repo/tests/security/bola.test.ts')).toBe(BUDGETS.api);
    expect(budgetFor('/repo/tests/integration/redis.test.ts')).toBe(BUDGETS.api);
    expect(budgetFor('/repo/tests/e2e/start.test.ts')).toBe(BUDGETS.endToEnd);
    expect(budgetFor('/repo/sdk/test/client.test.ts')).toBe(BUDGETS.endToEnd);
  });

  it('apply to the tests of this file', ({ task }) => {
    expect(task.timeout).toBe(BUDGETS.unit.testTimeout);
  });
});
