import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLUGIN_DIR, lintFixture } from './lint-fixture.js';

// The very object the rules read (the same module instance), to take a deployed form away for one test.
const known = createRequire(join(PLUGIN_DIR, 'index.js'))('./lib/known-names.js') as { deployedFormIds: string[] };
const deployed = [...known.deployedFormIds];
afterEach(() => {
  known.deployedFormIds.splice(0, known.deployedFormIds.length, ...deployed);
});

describe('spe/user-task-form', () => {
  it('passes a Camunda user task with a deployed form of FORM_IDS', async () => {
    expect(await lintFixture('user-task-form', 'valid')).toEqual([]);
  });

  it('reports a job-worker user task, an unknown form and a missing form', async () => {
    expect(await lintFixture('user-task-form', 'invalid')).toEqual([
      { id: 'Task_NoCamundaUserTask', message: expect.stringMatching(/^Not a Camunda user task/) },
      { id: 'Task_UnknownForm', message: expect.stringMatching(/^Form "application-assesment" is not in FORM_IDS/) },
      { id: 'Task_NoForm', message: expect.stringMatching(/^Form "" is not in FORM_IDS/) },
    ]);
  });

  it('reports a form of FORM_IDS that forms/ does not hold', async () => {
    known.deployedFormIds.splice(known.deployedFormIds.indexOf('application-assessment'), 1);
    expect(await lintFixture('user-task-form', 'valid')).toEqual([
      { id: 'Task_AssessApplication', message: expect.stringMatching(/^Form "application-assessment" is not in forms\/, so it is never deployed/) },
    ]);
  });
});
