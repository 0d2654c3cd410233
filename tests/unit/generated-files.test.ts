import { describe, expect, it } from 'vitest';
import { staleGeneratedFiles } from '../../scripts/generate';

describe('generated code', () => {
  it('matches openapi/openapi.yaml (run `npm run generate` after editing the spec)', async () => {
    expect(await staleGeneratedFiles()).toEqual([]);
  });
});
