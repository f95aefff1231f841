import { describe, expect, it } from 'vitest';
import { lintFixture } from './lint-fixture.js';

describe('spe/task-headers', () => {
  it('passes the headers each worker reads, with values it accepts', async () => {
    expect(await lintFixture('task-headers', 'valid')).toEqual([]);
  });

  it('reports unknown names, statuses, events, audiences, stages, phases, volumes, templates, actions and flags', async () => {
    expect(await lintFixture('task-headers', 'invalid')).toEqual([
      { id: 'Task_SetClosing', message: expect.stringMatching(/^Header "colour" is not in TASK_HEADERS/) },
      { id: 'Task_SetClosing', message: expect.stringMatching(/^Status "CLOSE" is not a PermitStatus/) },
      { id: 'Task_SetClosing', message: expect.stringMatching(/^Event "permit\.gone" is not an EventName/) },
      { id: 'Task_Notify', message: expect.stringMatching(/^A status header on notification\.send, which takes none/) },
      { id: 'Task_Notify', message: expect.stringMatching(/^Notification template "Permit_Closing" is missing or not kebab-case/) },
      { id: 'Task_Notify', message: expect.stringMatching(/^Audience "everybody" is not in NOTIFICATION_AUDIENCES/) },
      { id: 'Task_Notify', message: expect.stringMatching(/^Header critical is "yes": it must be "true" or "false"/) },
      { id: 'Task_Audit', message: expect.stringMatching(/^Audit action "reviewed" is missing or not like "setup\.reviewed"/) },
      { id: 'Task_Audit', message: expect.stringMatching(/^Audit stage "LUNCH" is neither a review stage nor a workspace phase/) },
      { id: 'Task_Teardown', message: expect.stringMatching(/^Phase "" is not in WORKSPACE_PHASES/) },
      { id: 'Task_Mount', message: expect.stringMatching(/^Volume "scratch" is not in WORKSPACE_VOLUMES/) },
      { id: 'Task_SetEgress', message: expect.stringMatching(/^Status "CLOSING" is not an EgressStatus/) },
    ]);
  });
});
