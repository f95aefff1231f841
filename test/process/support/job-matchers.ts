/** Predicates over the jobs a process test's fake workers recorded. */
import { expect } from 'vitest';
import { TASK_HEADERS, TASK_TYPES } from '../../../shared/index.js';
import type { RecordedJob } from './process-harness.js';

/** A job of `type` whose headers include all of `headers`. */
export const isJob = (type: string, headers: Record<string, string> = {}) => (job: RecordedJob) =>
  job.type === type && Object.entries(headers).every(([name, value]) => job.headers[name] === value);

/** A `notification.send` job with this template. */
export const notification = (template: string) => isJob(TASK_TYPES.notificationSend, { [TASK_HEADERS.template]: template });

/** A job run for this permit. */
export const forPermit = (permitId: string) => (job: RecordedJob) => job.variables.permitId === permitId;

/** Position of the first job matching `predicate`; fails the test when there is none. */
export const indexOf = (jobs: RecordedJob[], predicate: (job: RecordedJob) => boolean) => {
  const index = jobs.findIndex(predicate);
  expect(index, `a job matching ${predicate.toString()}`).toBeGreaterThanOrEqual(0);
  return index;
};
