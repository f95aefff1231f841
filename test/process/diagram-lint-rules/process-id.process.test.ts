import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/process-id', () => {
  it('passes executable processes of PROCESS_IDS and ignores non-executable ones', async () => {
    expect(await lintFixture('process-id', 'valid')).toEqual([]);
  });

  it('reports an executable process whose id is not in PROCESS_IDS, naming the known ids', async () => {
    expect(await lintFixture('process-id', 'invalid')).toEqual([
      { id: 'spe-permit-closur', message: expect.stringMatching(/^Process id "spe-permit-closur" is not one of PROCESS_IDS: use one of .*spe-permit-closure/) },
    ]);
  });
});
