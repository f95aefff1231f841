import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PERMIT_STATUSES, TASK_HEADERS } from '../../shared/index.js';
import { makeWorkerJob } from '../testing/make-worker-job.js';
import { NonRetryableError } from './job-errors.js';
import { booleanHeader, optionalHeader, readHeaders, readVariables } from './job-input.js';

const Headers = z.object({ [TASK_HEADERS.status]: z.enum(PERMIT_STATUSES), [TASK_HEADERS.reason]: optionalHeader(z.string()) });

describe('readHeaders', () => {
  it('returns typed headers, treating an emptied header as absent', () => {
    const job = makeWorkerJob({ type: 'permit.set-status', headers: { status: 'SUBMITTED', reason: '' } });
    expect(readHeaders(job, Headers)).toEqual({ status: 'SUBMITTED' });
  });

  it('names the task type, the element, the process and the missing header', () => {
    const job = makeWorkerJob({ type: 'permit.set-status', elementId: 'Task_SetSubmitted', headers: {} });
    expect(() => readHeaders(job, Headers)).toThrow(NonRetryableError);
    expect(() => readHeaders(job, Headers)).toThrow(
      'permit.set-status (element "Task_SetSubmitted" of spe-permit-application): task header "status" is missing (add it under zeebe:taskHeaders)',
    );
  });

  it('shows the bad value of a header', () => {
    const job = makeWorkerJob({ type: 'permit.set-status', headers: { status: 'NOPE' } });
    expect(() => readHeaders(job, Headers)).toThrow(/header "status": .*\(got "NOPE"\)/);
  });

  it('reads boolean headers from their string form', () => {
    const job = makeWorkerJob({ type: 'workspace.disable-network', headers: { permanent: 'true' } });
    expect(readHeaders(job, z.object({ permanent: booleanHeader }))).toEqual({ permanent: true });
  });
});

describe('readVariables', () => {
  it('names a missing variable', () => {
    const job = makeWorkerJob({ type: 'permit.issue', variables: {} });
    expect(() => readVariables(job, z.object({ validUntil: z.string() }))).toThrow(/permit\.issue .*: variable "validUntil" is missing$/);
  });

  it('names a nested bad value', () => {
    const job = makeWorkerJob({ type: 'permit.apply-amendment', variables: { amendment: { addMembers: [{ userId: 3 }] } } });
    const schema = z.object({ amendment: z.object({ addMembers: z.array(z.object({ userId: z.string() })) }) });
    expect(() => readVariables(job, schema)).toThrow(/variable "amendment\.addMembers\.0\.userId": .*\(got 3\)/);
  });
});
