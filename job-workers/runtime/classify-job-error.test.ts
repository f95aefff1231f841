import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidTransitionError, NotFoundError, UnavailableError, ValidationError } from '../../shared/index.js';
import { classifyJobError, isTransient } from './classify-job-error.js';
import { BusinessRuleError, HoldJobError, NonRetryableError, TransientError } from './job-errors.js';

const context = { label: 'permit.set-status (element "Task_X" of spe-permit-application)', retries: 3 };

describe('classifyJobError', () => {
  it('turns a BusinessRuleError into a BPMN error with its code, message and variables', () => {
    const ack = classifyJobError(new BusinessRuleError('INGRESS_CHECK_FAILED', 'checksum mismatch', { file: 'a.csv' }), context);
    expect(ack).toEqual({ kind: 'error', errorCode: 'INGRESS_CHECK_FAILED', errorMessage: 'checksum mismatch', variables: { file: 'a.csv' } });
  });

  it('holds a job with the same retries and the requested back-off, so waiting never becomes an incident', () => {
    expect(classifyJobError(new HoldJobError('permit suspended', 60_000), { label: 'permit.set-status', retries: 1 })).toEqual({
      kind: 'fail',
      retries: 1,
      retryBackOff: 60_000,
      errorMessage: 'permit.set-status: permit suspended',
      reason: 'held',
    });
  });

  it('fails a TransientError with one retry fewer and an exponential back-off', () => {
    expect(classifyJobError(new TransientError('db away'), { ...context, retries: 3 })).toMatchObject({ kind: 'fail', retries: 2, retryBackOff: 1000, reason: 'transient' });
    expect(classifyJobError(new TransientError('db away'), { ...context, retries: 2 })).toMatchObject({ retries: 1, retryBackOff: 2000 });
  });

  it('raises an incident at once for an illegal transition, naming the task and saying what to do', () => {
    const ack = classifyJobError(new InvalidTransitionError('Permit P cannot move from SUSPENDED to ANALYSIS_ACTIVE', 'SUSPENDED'), context);
    expect(ack).toMatchObject({ kind: 'fail', retries: 0, reason: 'non-retryable' });
    expect(ack.kind === 'fail' && ack.errorMessage).toMatch(/^permit\.set-status \(element "Task_X".*SUSPENDED to ANALYSIS_ACTIVE\. Fix the cause, then raise the job retries and resolve the incident\.$/);
  });

  it.each([
    ['NonRetryableError', new NonRetryableError('task header "status" is missing')],
    ['NotFoundError', new NotFoundError('Permit P does not exist')],
    ['ValidationError', new ValidationError('bad')],
  ])('raises an incident at once for a %s', (_name, error) => {
    expect(classifyJobError(error, context)).toMatchObject({ kind: 'fail', retries: 0, retryBackOff: 0 });
  });

  it('retries unexpected errors with back-off and says what to do once the retries are used up', () => {
    expect(classifyJobError(new Error('boom'), { ...context, retries: 2 })).toMatchObject({ kind: 'fail', retries: 1, reason: 'unexpected', errorMessage: `${context.label}: boom` });
    const last = classifyJobError(new Error('boom'), { ...context, retries: 1 });
    expect(last).toMatchObject({ kind: 'fail', retries: 0, retryBackOff: 0 });
    expect(last.kind === 'fail' && last.errorMessage).toContain('has no retries left: boom. Fix the cause, then raise the job retries');
  });

  it('copes with thrown non-errors', () => {
    expect(classifyJobError('just a string', context)).toMatchObject({ kind: 'fail', retries: 2, errorMessage: `${context.label}: just a string` });
  });
});

describe('isTransient', () => {
  it('knows lost connections, serialization failures, deadlocks and unavailable dependencies', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    for (const error of [withCode('ECONNREFUSED'), withCode('08006'), withCode('40001'), withCode('40P01'), withCode('57P01'), new UnavailableError('engine'), new ConflictError('moved first')]) {
      expect(isTransient(error), String(error)).toBe(true);
    }
    expect(isTransient(withCode('23505'))).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
  });
});
