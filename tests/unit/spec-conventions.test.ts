/** Conventions every operation of the contract keeps, checked over the whole document. */
import { describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';

const validator = new OpenApiValidator();
const parameterNames = (operation: (typeof validator.operations)[number]) => [
  ...operation.header.names.keys(),
  ...operation.query.names.keys(),
];
const isPublic = (operation: (typeof validator.operations)[number]) =>
  (operation.definition.security ?? validator.document.security ?? []).length === 0;

describe('the OpenAPI document', () => {
  it('lets every authenticated POST take an Idempotency-Key', () => {
    const missing = validator.operations
      .filter((operation) => operation.method === 'post' && !isPublic(operation))
      .filter((operation) => !parameterNames(operation).includes('Idempotency-Key'))
      .map((operation) => operation.id);
    expect(missing).toEqual([]);
  });

  it('takes If-Match on every change of a record, and sends its ETag on GET', () => {
    const records = validator.operations.filter((operation) =>
      /^\/v1\/(organisations|people|mandates|users)\/\{id\}$/.test(operation.pathTemplate),
    );
    expect(records.length).toBe(11);
    for (const operation of records.filter((candidate) => candidate.method !== 'get')) {
      expect(parameterNames(operation), operation.id).toContain('If-Match');
    }
    for (const operation of records.filter((candidate) => candidate.method === 'get')) {
      const headers = (operation.definition.responses['200'] as { headers?: Record<string, unknown> })
        .headers;
      expect(Object.keys(headers ?? {}), operation.id).toContain('ETag');
    }
  });

  it('caps every list at limit ≤ 100 and gives it a cursor', () => {
    const lists = validator.operations.filter(
      (operation) => operation.method === 'get' && operation.query.names.has('limit'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(6);
    for (const operation of lists) {
      expect(operation.query.names.get('limit')?.$ref ?? 'Limit', operation.id).toMatch(/Limit$/);
      expect(operation.query.names.has('cursor'), operation.id).toBe(true);
    }
  });

  it('declares a problem response for every operation', () => {
    const missing = validator.operations
      .filter((operation) => !operation.responses.has('default'))
      .map((operation) => operation.id);
    expect(missing).toEqual([]);
  });
});
