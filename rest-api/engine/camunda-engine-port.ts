/**
 * EnginePort over the official Camunda 8.8 client (`@camunda8/sdk`, Orchestration Cluster REST API, loose
 * variant with plain-string keys). The client is created in the entry file and passed in. Searches read at once
 * (no eventual-consistency wait): the embedded engine is strongly consistent, and a real cluster's lag is the
 * caller's concern.
 */
import type { Camunda8 } from '@camunda8/sdk';
import { UnavailableError } from '../../shared/index.js';
import { NoWaitingSubscriptionError, UserTaskAssignedError, UserTaskDeniedError, UserTaskGoneError, type CorrelateMessageRequest, type EnginePort, type PublishMessageRequest, type EngineUserTask, type UserTaskQuery } from './engine-port.js';

export type CamundaRestClient = ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']>;

/**
 * Read at once, no eventual-consistency polling: the embedded engine is strongly consistent. The options are left
 * out rather than given as `waitUpToMs: 0`: the SDK then calls straight away, where with `waitUpToMs: 0` it first
 * re-reads its whole configuration from the environment on every call (about 0.3 ms of CPU per search,
 * bench/api/review-call-cost.ts).
 */
const NO_WAIT = {} as { consistency: { waitUpToMs: 0 } };
const DEFAULT_TASK_LIMIT = 1000;

/** HTTP status of an error the client threw (its HttpSdkError carries `status`), if any. */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Unreachable engine or a 5xx: the caller may retry later. Anything else is passed through unchanged. */
function translate(error: unknown, what: string): unknown {
  const status = statusOf(error);
  if (status === undefined || status >= 500) {
    const reason = error instanceof Error ? error.message : String(error);
    return new UnavailableError(`The process engine could not ${what}: ${reason}`, { engineStatus: status });
  }
  return error;
}

function toTask(item: Record<string, unknown>): EngineUserTask {
  const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));
  return {
    userTaskKey: String(item.userTaskKey),
    name: text(item.name) ?? '',
    elementId: text(item.elementId) ?? '',
    state: text(item.state) ?? '',
    candidateGroups: Array.isArray(item.candidateGroups) ? item.candidateGroups.map(String) : [],
    ...(text(item.assignee) ? { assignee: text(item.assignee) } : {}),
    processInstanceKey: String(item.processInstanceKey),
    processDefinitionId: text(item.processDefinitionId) ?? '',
    ...(text(item.formKey) ? { formKey: text(item.formKey) } : {}),
    ...(text(item.dueDate) ? { dueDate: text(item.dueDate) } : {}),
    ...(text(item.followUpDate) ? { followUpDate: text(item.followUpDate) } : {}),
    ...(text(item.creationDate) ? { creationDate: text(item.creationDate) } : {}),
  };
}

/** The problem detail of an error the client threw (its HttpSdkError carries `detail`), if any. */
function detailOf(error: unknown): string {
  const detail = (error as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' ? detail : error instanceof Error ? error.message : '';
}

/** Camunda 8.8's 409 detail when a task listener denies: "… was denied by Task Listener. Reason to deny: '<reason>'". */
const DENIED = /denied by Task Listener\. Reason to deny: '([\s\S]*)'\s*$/;
/** Camunda 8.8's 409 detail when a task is someone else's: "… but it is already assigned to '<assignee>' …". */
const ASSIGNED = /already assigned to '([^']*)'/;

function parseVariableValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function createCamundaEnginePort(client: CamundaRestClient): EnginePort {
  /** formKey → formId: a deployed form version never changes. */
  const formIds = new Map<string, string>();

  async function getUserTaskForm(userTaskKey: string): Promise<{ formId: string; schema: unknown } | undefined> {
    try {
      const form = await client.getUserTaskForm({ userTaskKey }, NO_WAIT);
      if (!form) return undefined;
      const formId = String(form.formId);
      if (form.formKey !== undefined) formIds.set(String(form.formKey), formId);
      const schema = typeof form.schema === 'string' ? parseVariableValue(form.schema) : form.schema;
      return { formId, schema };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translate(error, `read the form of user task ${userTaskKey}`);
    }
  }

  return {
    getUserTaskForm,

    async formIdOf(task) {
      if (task.formKey === undefined) return undefined;
      const cached = formIds.get(task.formKey);
      if (cached !== undefined) return cached;
      return (await getUserTaskForm(task.userTaskKey))?.formId;
    },

    async createProcessInstance(processId, variables, options) {
      try {
        const created = await client.createProcessInstance({ processDefinitionId: processId, variables, ...(options?.tags ? { tags: options.tags } : {}) } as never);
        return { processInstanceKey: String(created.processInstanceKey) };
      } catch (error) {
        throw translate(error, `start process ${processId}`);
      }
    },

    async findActiveProcessInstances(processId, tag) {
      try {
        const result = await client.searchProcessInstances(
          { filter: { processDefinitionId: processId, state: 'ACTIVE', tags: [tag] }, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page: { limit: 100 } } as never,
          NO_WAIT,
        );
        return (result.items ?? []).map((item) => String((item as { processInstanceKey: unknown }).processInstanceKey));
      } catch (error) {
        throw translate(error, `look up the instances of process ${processId} tagged ${tag}`);
      }
    },

    async cancelProcessInstance(processInstanceKey) {
      try {
        await client.cancelProcessInstance({ processInstanceKey } as never);
      } catch (error) {
        if (statusOf(error) === 404) return;
        throw translate(error, `cancel process instance ${processInstanceKey}`);
      }
    },

    async correlateMessage({ name, correlationKey, variables }: CorrelateMessageRequest) {
      try {
        const result = await client.correlateMessage({ name, correlationKey, variables });
        return { processInstanceKey: String(result.processInstanceKey) };
      } catch (error) {
        if (statusOf(error) === 404) throw new NoWaitingSubscriptionError(name, correlationKey);
        throw translate(error, `correlate message ${name}`);
      }
    },

    async publishMessage({ name, correlationKey, variables, messageId, timeToLive }: PublishMessageRequest) {
      try {
        await client.publishMessage({ name, correlationKey, variables, messageId, timeToLive });
        return 'published' as const;
      } catch (error) {
        if (statusOf(error) === 409) return 'duplicate' as const;
        throw translate(error, `publish message ${name}`);
      }
    },

    async isWaitingFor(name, correlationKey) {
      try {
        const result = await client.searchMessageSubscriptions(
          { filter: { messageName: name, correlationKey, messageSubscriptionState: 'CREATED' }, page: { limit: 1 } } as never,
          NO_WAIT,
        );
        return (result.items ?? []).length > 0;
      } catch (error) {
        throw translate(error, `look up who waits for message ${name}`);
      }
    },

    async searchUserTasks(query: UserTaskQuery) {
      const variables = [
        ...(query.permitId === undefined ? [] : [{ name: 'permitId', value: JSON.stringify(query.permitId) }]),
        ...Object.entries(query.variables ?? {}).map(([name, value]) => ({ name, value: JSON.stringify(value) })),
      ];
      const filter = {
        state: query.state ?? 'CREATED',
        ...(query.candidateGroup ? { candidateGroup: query.candidateGroup } : {}),
        ...(query.processDefinitionId ? { processDefinitionId: query.processDefinitionId } : {}),
        ...(query.elementId ? { elementId: query.elementId } : {}),
        ...(variables.length > 0 ? { processInstanceVariables: variables } : {}),
      };
      try {
        const result = await client.searchUserTasks({ filter, page: { limit: query.limit ?? DEFAULT_TASK_LIMIT } } as never, NO_WAIT);
        return (result.items ?? []).map((item) => toTask(item as unknown as Record<string, unknown>));
      } catch (error) {
        throw translate(error, 'search user tasks');
      }
    },

    async getUserTask(userTaskKey) {
      try {
        const task = await client.getUserTask({ userTaskKey }, NO_WAIT);
        return toTask(task as unknown as Record<string, unknown>);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw translate(error, `read user task ${userTaskKey}`);
      }
    },

    async completeUserTask(userTaskKey, variables) {
      try {
        await client.completeUserTask({ userTaskKey, variables });
      } catch (error) {
        const status = statusOf(error);
        const denied = status === 409 ? DENIED.exec(detailOf(error)) : null;
        if (denied) throw new UserTaskDeniedError(userTaskKey, denied[1] ?? '');
        if (status === 404 || status === 409) throw new UserTaskGoneError(userTaskKey);
        throw translate(error, `complete user task ${userTaskKey}`);
      }
    },

    async assignUserTask(userTaskKey, assignee) {
      try {
        await client.assignUserTask({ userTaskKey, assignee, allowOverride: false, action: 'assign' });
      } catch (error) {
        const status = statusOf(error);
        const assigned = status === 409 ? ASSIGNED.exec(detailOf(error)) : null;
        if (assigned) throw new UserTaskAssignedError(userTaskKey, assigned[1]);
        if (status === 404 || status === 409) throw new UserTaskGoneError(userTaskKey);
        throw translate(error, `assign user task ${userTaskKey}`);
      }
    },

    async unassignUserTask(userTaskKey) {
      try {
        await client.unassignUserTask({ userTaskKey });
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 409) throw new UserTaskGoneError(userTaskKey);
        throw translate(error, `unassign user task ${userTaskKey}`);
      }
    },

    async getProcessVariable(processInstanceKey, name) {
      try {
        const result = await client.searchVariables({ filter: { processInstanceKey, name }, page: { limit: 10 } } as never, NO_WAIT);
        const [first] = result.items ?? [];
        return first === undefined ? undefined : parseVariableValue((first as { value?: unknown }).value);
      } catch (error) {
        throw translate(error, `read variable ${name}`);
      }
    },

    async getUserTaskVariables(userTaskKey) {
      const values: Record<string, unknown> = {};
      try {
        let after: string | undefined;
        for (;;) {
          const page = { limit: DEFAULT_TASK_LIMIT, ...(after ? { after } : {}) };
          const result = await client.searchUserTaskVariables({ userTaskKey, truncateValues: false, page } as never, NO_WAIT);
          const items = (result.items ?? []) as { name?: unknown; value?: unknown }[];
          for (const item of items) {
            // The engine lists the nearest scope first: keep the first value seen per name.
            if (typeof item.name === 'string' && !(item.name in values)) values[item.name] = parseVariableValue(item.value);
          }
          after = (result.page as { endCursor?: string } | undefined)?.endCursor;
          if (items.length < DEFAULT_TASK_LIMIT || !after) return values;
        }
      } catch (error) {
        if (statusOf(error) === 404) throw new UserTaskGoneError(userTaskKey);
        throw translate(error, `read the variables of user task ${userTaskKey}`);
      }
    },
  };
}
