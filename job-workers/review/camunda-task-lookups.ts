/**
 * `TaskLookups` over the official Camunda 8.8 client (Orchestration Cluster REST API): `getUserTaskForm` (the form
 * exactly as Tasklist shows it, whichever version the task is linked to) and `searchVariables`. Forms are cached by
 * form key (a deployed form version never changes). Unreachable engine or 5xx: `TransientError` (the listener job
 * is retried; nothing is denied for an engine hiccup).
 */
import { TransientError } from '../runtime/job-errors.js';
import type { TaskForm, TaskLookups } from './task-lookups.js';

/** The part of the official (loose) client used here. */
export interface TaskLookupClient {
  getUserTaskForm(input: { userTaskKey: string }, options?: unknown): Promise<{ formId?: unknown; formKey?: unknown; schema?: unknown } | undefined | null>;
  searchVariables(input: never, options?: unknown): Promise<{ items?: { name?: unknown; value?: unknown; scopeKey?: unknown; isTruncated?: unknown }[] }>;
}

/**
 * Read at once, no eventual-consistency polling: the embedded engine is strongly consistent. The options are left
 * out rather than given as `waitUpToMs: 0`: the SDK then calls straight away, where with `waitUpToMs: 0` it first
 * re-reads its whole configuration from the environment on every call (about 0.3 ms of CPU per search,
 * bench/api/review-call-cost.ts).
 */
const NO_WAIT = {} as { consistency: { waitUpToMs: 0 } };

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function transient(error: unknown, what: string): TransientError {
  return new TransientError(`The process engine could not ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export function createCamundaTaskLookups(client: TaskLookupClient): TaskLookups {
  const forms = new Map<string, TaskForm>();
  return {
    async form(userTaskKey, formKey) {
      const cached = formKey === undefined ? undefined : forms.get(formKey);
      if (cached) return cached;
      try {
        const form = await client.getUserTaskForm({ userTaskKey }, NO_WAIT);
        if (!form) return undefined;
        const found: TaskForm = { formId: String(form.formId), schema: parse(form.schema) };
        if (form.formKey !== undefined && form.formKey !== null) forms.set(String(form.formKey), found);
        return found;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw transient(error, `read the form of user task ${userTaskKey}`);
      }
    },

    async storedVariable(processInstanceKey, name) {
      try {
        const result = await client.searchVariables({ filter: { processInstanceKey, name }, page: { limit: 20 } } as never, NO_WAIT);
        const items = result.items ?? [];
        const own = items.find((item) => String(item.scopeKey) === processInstanceKey) ?? items[0];
        // A truncated value cannot be compared; the caller then skips that comparison.
        if (!own || own.isTruncated === true) return undefined;
        return parse(own.value);
      } catch (error) {
        throw transient(error, `read variable ${name} of process instance ${processInstanceKey}`);
      }
    },
  };
}
