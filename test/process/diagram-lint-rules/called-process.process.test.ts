import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/called-process', () => {
  it('passes a call activity of a process of the series', async () => {
    expect(await lintFixture('called-process', 'valid')).toEqual([]);
  });

  it('reports a call activity of an unknown process and one that calls nothing', async () => {
    expect(await lintFixture('called-process', 'invalid')).toEqual([
      { id: 'Call_Unknown', message: expect.stringMatching(/^Calls "spe-permit-closing", not a process of PROCESS_IDS/) },
      { id: 'Call_Nothing', message: expect.stringMatching(/^Calls "", not a process of PROCESS_IDS/) },
    ]);
  });
});
