import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, roleReach, SCOPES } from '../../server/src/platform/core/permissions';
import { openApiDocument } from '../../server/src/platform/web/openapi';

describe('the permission table', () => {
  it('offers exactly the spec’s Scope enum as API key scopes', () => {
    const scope = openApiDocument.components.schemas?.Scope as { enum: string[] };
    expect([...scope.enum].sort()).toEqual([...SCOPES]);
  });

  it('gives each role at least what the role below it has', () => {
    const order = ['readonly', 'user', 'manager', 'admin'] as const;
    for (let index = 1; index < order.length; index += 1) {
      const lower = ROLE_PERMISSIONS[order[index - 1]!];
      for (const [resource, actions] of Object.entries(lower)) {
        for (const action of Object.keys(actions ?? {})) {
          expect(
            roleReach(order[index]!, resource as never, action as never),
            `${order[index]} ${resource}:${action}`,
          ).not.toBeNull();
        }
      }
    }
  });

  it('keeps users, keys, audit and scoring rules to admins', () => {
    for (const role of ['manager', 'user', 'readonly'] as const) {
      expect(roleReach(role, 'users', 'create')).toBeNull();
      expect(roleReach(role, 'api_keys', 'create')).toBeNull();
      expect(roleReach(role, 'audit_log', 'read')).toBeNull();
      expect(roleReach(role, 'scoring_rules', 'update')).toBeNull();
    }
  });
});
