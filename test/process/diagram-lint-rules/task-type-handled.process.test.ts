import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLUGIN_DIR, lintFixture } from './lint-fixture.js';

// The very object the rules read (the same module instance), to take a handler away for one test.
const known = createRequire(join(PLUGIN_DIR, 'index.js'))('./lib/known-names.js') as { handledTaskTypes: string[] };
const handled = [...known.handledTaskTypes];
afterEach(() => {
  known.handledTaskTypes.splice(0, known.handledTaskTypes.length, ...handled);
});

describe('spe/task-type-handled', () => {
  it('passes job types of TASK_TYPES that have a handler', async () => {
    expect(await lintFixture('task-type-handled', 'valid')).toEqual([]);
  });

  it('reports a job type and a task listener type that are not in TASK_TYPES', async () => {
    expect(await lintFixture('task-type-handled', 'invalid')).toEqual([
      { id: 'Task_Unknown', message: expect.stringMatching(/^Job type "workspace\.shred" is not in TASK_TYPES/) },
      { id: 'Task_Review', message: expect.stringMatching(/^Task listener type "review\.check-everything" is not in TASK_TYPES/) },
    ]);
  });

  it('reports a job type of TASK_TYPES that has no handler in the registry', async () => {
    known.handledTaskTypes.splice(known.handledTaskTypes.indexOf('workspace.archive'), 1);
    expect(await lintFixture('task-type-handled', 'valid')).toEqual([
      { id: 'Task_Archive', message: expect.stringMatching(/^Job type "workspace\.archive" has no handler in job-workers\/registry\.ts/) },
    ]);
  });
});
