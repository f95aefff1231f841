import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../shared/index.js';
import { makeActivatedJob, makeWorkerJob, recordingLogger } from '../testing/make-worker-job.js';
import { BusinessRuleError, TransientError } from './job-errors.js';
import { createJobRunner } from './run-job.js';

const job = makeWorkerJob({
  type: 'permit.set-status',
  elementId: 'Task_SetSubmitted',
  retries: 3,
  headers: { status: 'SUBMITTED' },
  variables: { permitId: 'P-1' },
});

describe('createJobRunner', () => {
  it('completes the job with the variables the handler returns and logs the job fields', async () => {
    const { logger, lines } = recordingLogger();
    const activated = makeActivatedJob(job);
    const receipt = await createJobRunner(async () => ({ variables: { done: true } }), { logger })(activated);
    expect(receipt).toBe('JOB_ACTION_RECEIPT');
    expect(activated.acks).toEqual([{ kind: 'complete', body: { done: true } }]);
    expect(lines.find((l) => l.msg === 'job completed')).toMatchObject({
      taskType: 'permit.set-status',
      jobKey: job.jobKey,
      processInstanceKey: job.processInstanceKey,
      permitId: 'P-1',
      elementId: 'Task_SetSubmitted',
    });
  });

  it("completes a task listener job with the handler's verdict as a userTask result", async () => {
    const activated = makeActivatedJob(job);
    const results: unknown[] = [];
    activated.completeWithResult = async (result) => {
      results.push(result);
      return 'JOB_ACTION_RECEIPT';
    };
    const run = createJobRunner(async () => ({ listener: { denied: true, deniedReason: 'Not allowed: assign the task first.' } }), { logger: recordingLogger().logger });
    expect(await run(activated)).toBe('JOB_ACTION_RECEIPT');
    await createJobRunner(async () => ({ listener: { denied: false } }), { logger: recordingLogger().logger })(activated);
    expect(results).toEqual([
      { type: 'userTask', denied: true, deniedReason: 'Not allowed: assign the task first.' },
      { type: 'userTask', denied: false },
    ]);
    expect(activated.acks).toEqual([]);
  });

  it('completes with no variables when the handler returns nothing', async () => {
    const activated = makeActivatedJob(job);
    await createJobRunner(async () => undefined, { logger: recordingLogger().logger })(activated);
    expect(activated.acks).toEqual([{ kind: 'complete', body: {} }]);
  });

  it('throws a BPMN error for a BusinessRuleError', async () => {
    const activated = makeActivatedJob(job);
    await createJobRunner(async () => {
      throw new BusinessRuleError('WORKSPACE_PROVISIONING_REJECTED', 'quota exceeded');
    }, { logger: recordingLogger().logger })(activated);
    expect(activated.acks).toEqual([{ kind: 'error', body: { errorCode: 'WORKSPACE_PROVISIONING_REJECTED', errorMessage: 'quota exceeded', variables: {} } }]);
  });

  it('fails a transient fault with one retry fewer and back-off, logging a warning', async () => {
    const { logger, lines } = recordingLogger();
    const activated = makeActivatedJob(job);
    await createJobRunner(async () => {
      throw new TransientError('database restarting');
    }, { logger })(activated);
    expect(activated.acks).toEqual([
      { kind: 'fail', body: { retries: 2, retryBackOff: 1000, errorMessage: 'permit.set-status (element "Task_SetSubmitted" of spe-permit-application): database restarting' } },
    ]);
    expect(lines.find((l) => l.level === 40)?.msg).toMatch(/^job failed, will be retried/);
  });

  it('fails an illegal transition with no retries (incident) and logs an error', async () => {
    const { logger, lines } = recordingLogger();
    const activated = makeActivatedJob(job);
    await createJobRunner(async () => {
      throw new InvalidTransitionError('Permit P-1 cannot move from CLOSED to SUBMITTED', 'CLOSED');
    }, { logger })(activated);
    expect(activated.acks[0]).toMatchObject({ kind: 'fail', body: { retries: 0 } });
    expect(lines.find((l) => l.level === 50)?.msg).toMatch(/^job failed, incident raised: .*CLOSED to SUBMITTED/);
  });

  it('leaves the job to time out when the engine does not take the acknowledgement', async () => {
    const { logger, lines } = recordingLogger();
    const activated = makeActivatedJob(job, { failAcks: true });
    const receipt = await createJobRunner(async () => undefined, { logger })(activated);
    expect(receipt).toBe('JOB_ACTION_RECEIPT');
    expect(activated.acks.map((a) => a.kind)).toEqual(['complete', 'ignore']);
    expect(lines.find((l) => l.level === 50)?.msg).toMatch(/could not acknowledge the job/);
  });
});
