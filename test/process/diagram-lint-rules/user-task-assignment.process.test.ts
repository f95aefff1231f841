import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/user-task-assignment', () => {
  it('passes a user task with a candidate group of CANDIDATE_GROUPS and a due date', async () => {
    expect(await lintFixture('user-task-assignment', 'valid')).toEqual([]);
  });

  it('reports missing and unknown candidate groups and a missing due date', async () => {
    expect(await lintFixture('user-task-assignment', 'invalid')).toEqual([
      { id: 'Task_NoGroups', message: expect.stringMatching(/^No candidate groups/) },
      { id: 'Task_UnknownGroup', message: expect.stringMatching(/^Candidate group "cleaners" is not in CANDIDATE_GROUPS/) },
      { id: 'Task_UnknownGroup', message: expect.stringMatching(/^No due date/) },
    ]);
  });
});
