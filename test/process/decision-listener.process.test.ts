/**
 * The decision listener on the real diagrams: completing a decision user task creates a `review.check-decision`
 * job (a completing task listener) with what the handler relies on (the user task's key and assignee, the
 * task's element and process, the completion's values merged over the process variables); a denial keeps the
 * task open and applies nothing, an acceptance lets the process go on. The rules themselves are unit-tested with
 * the handler and end to end in test/integration/permit-manager/decision-doors.integration.test.ts; here a fake listener
 * denies unassigned completions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES, PROCESS_IDS, TASK_TYPES } from '../../shared/index.js';
import { key } from '../conformance/support/harness.js';
import { startProcessTest, type ProcessTest } from './support/process-harness.js';

let t: ProcessTest;
beforeAll(async () => {
  t = await startProcessTest();
});
afterAll(async () => {
  await t?.stop();
});

describe('review.check-decision on the decision user tasks', () => {
  it('receives the completing task with its assignee; a denial keeps it open, an acceptance lets the process go on', async () => {
    const permitId = 'P-LISTENER';
    const seen: { kind: unknown; eventType: unknown; assignee: unknown; userTaskKey: unknown; elementId: string; processId: string; decision: unknown; submittedBy: unknown }[] = [];
    t.handle(TASK_TYPES.reviewCheckDecision, async (job) => {
      const userTask = (job as unknown as { userTask?: { assignee?: string | null; userTaskKey?: unknown } }).userTask;
      const variables = job.variables as Record<string, unknown>;
      seen.push({
        kind: (job as unknown as { kind?: unknown }).kind,
        eventType: (job as unknown as { listenerEventType?: unknown }).listenerEventType,
        assignee: userTask?.assignee ?? null,
        userTaskKey: String(userTask?.userTaskKey),
        elementId: String(job.elementId),
        processId: String(job.processDefinitionId),
        decision: variables.setupDecision,
        submittedBy: variables.setupSubmittedBy,
      });
      const denied = !userTask?.assignee;
      await t.api.completeJob({ jobKey: job.jobKey, result: { type: 'userTask', denied, ...(denied ? { deniedReason: 'Not allowed: assign the task first.' } : {}) } } as never);
      return job.ignore();
    });

    const processInstanceKey = await t.startProcess(PROCESS_IDS.setup, { permitId });
    await t.waitForActiveElement(processInstanceKey, 'Event_SetupSubmitted');
    await t.correlate(MESSAGES.setupSubmitted, permitId, { setupSubmittedBy: 'alice' });
    const task = await t.waitForUserTask({ processInstanceKey, elementId: 'Task_ReviewSetup' });

    const refused = await t.completeUserTask(task.userTaskKey, { setupDecision: 'APPROVED' }).then(
      () => undefined,
      (error: unknown) => error as { status?: number; detail?: string },
    );
    expect(refused?.status).toBe(409);
    expect(refused?.detail).toContain("Reason to deny: 'Not allowed: assign the task first.'");
    expect((await t.searchUserTasks({ processInstanceKey, elementId: 'Task_ReviewSetup' })).map((open) => open.userTaskKey)).toEqual([task.userTaskKey]);
    expect(t.jobsOf(TASK_TYPES.auditRecord, (job) => job.variables.permitId === permitId)).toEqual([]);

    await t.api.assignUserTask({ userTaskKey: key(task.userTaskKey), assignee: 'rita' } as never);
    await t.completeUserTask(task.userTaskKey, { setupDecision: 'APPROVED' });
    await t.waitForJob(TASK_TYPES.auditRecord, (job) => job.variables.permitId === permitId);

    expect(seen).toEqual([
      { kind: 'TASK_LISTENER', eventType: 'COMPLETING', assignee: null, userTaskKey: task.userTaskKey, elementId: 'Task_ReviewSetup', processId: PROCESS_IDS.setup, decision: 'APPROVED', submittedBy: 'alice' },
      { kind: 'TASK_LISTENER', eventType: 'COMPLETING', assignee: 'rita', userTaskKey: task.userTaskKey, elementId: 'Task_ReviewSetup', processId: PROCESS_IDS.setup, decision: 'APPROVED', submittedBy: 'alice' },
    ]);
  });
});
