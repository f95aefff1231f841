/**
 * Typed task headers and variables, read with zod. A missing or malformed header is a modelling bug and a bad
 * variable a data bug; neither gets better by retrying, so both throw `NonRetryableError` with a message naming
 * the task type, the element and the header or variable (the engine shows it as the incident message).
 */
import { z } from 'zod';
import { NonRetryableError } from './job-errors.js';
import type { WorkerJob } from './worker-job.js';

type Source = 'header' | 'variable';

export function readHeaders<S extends z.ZodType>(job: WorkerJob, schema: S): z.infer<S> {
  return read(job, schema, job.headers, 'header');
}

export function readVariables<S extends z.ZodType>(job: WorkerJob, schema: S): z.infer<S> {
  return read(job, schema, job.variables, 'variable');
}

function read<S extends z.ZodType>(job: WorkerJob, schema: S, input: unknown, source: Source): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, input, source));
  throw new NonRetryableError(`${jobLabel(job)}: ${problems.join('; ')}`);
}

/** `permit.set-status (element "SetSubmitted" of spe-permit-application)`. */
export function jobLabel(job: Pick<WorkerJob, 'type' | 'elementId' | 'bpmnProcessId'>): string {
  return `${job.type} (element "${job.elementId}" of ${job.bpmnProcessId})`;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, source: Source): string {
  const name = issue.path.map(String).join('.');
  const where = name ? `${source} "${name}"` : `${source}s`;
  if (valueAt(input, issue.path) === undefined && issue.code !== 'custom') {
    return source === 'header' ? `task header "${name}" is missing (add it under zeebe:taskHeaders)` : `${where} is missing`;
  }
  const got = valueAt(input, issue.path);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  return `${where}: ${issue.message}${shown}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * An optional task header: Modeler writes an emptied header as `""`, which counts as absent. Headers are always
 * strings in Zeebe.
 */
export function optionalHeader<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/** A boolean task header (`"true"` / `"false"`). */
export const booleanHeader = z.enum(['true', 'false']).transform((value) => value === 'true');
