import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/decision-task-guard', () => {
  it('passes a decision task of DECISION_TASKS with its form, group and one completing guard listener', async () => {
    expect(await lintFixture('decision-task-guard', 'valid')).toEqual([]);
  });

  it('reports a form and group other than the table says, a missing guard, a task not in the table and a doubled guard', async () => {
    expect(await lintFixture('decision-task-guard', 'invalid')).toEqual([
      { id: 'Task_AssessApplication', message: expect.stringMatching(/^Form "setup-review", DECISION_TASKS says "application-assessment"/) },
      { id: 'Task_AssessApplication', message: expect.stringMatching(/^Candidate groups "spe-operators", DECISION_TASKS says "hdab-reviewers"/) },
      { id: 'Task_AssessApplication', message: expect.stringMatching(/^Needs exactly one task listener eventType "completing" type "review\.check-decision" \(has 0\)/) },
      { id: 'Task_NotATableEntry', message: expect.stringMatching(/^spe-permit-application\/Task_NotATableEntry is not in DECISION_TASKS/) },
      { id: 'Task_NotATableEntry', message: expect.stringMatching(/\(has 2\)/) },
    ]);
  });
});
