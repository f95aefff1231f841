/** Jobs: activation (long polling), completion, failure, BPMN error, PATCH retries/timeout, search. */
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import { invalidArgument } from '../../errors.js';
import type { EngineApi, JobCompletionResult } from '../../runtime/engine-api.js';
import { abortOnClose } from '../abort-on-close.js';
import { mapActivatedJob, mapJob } from '../mappers.js';
import { sendJson } from '../send-json.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, int64, keyParam, parseBody, tenantId, variablesObject, type RouteRequest } from '../validation.js';

const JOB_STATES = ['CANCELED', 'COMPLETED', 'CREATED', 'ERROR_THROWN', 'FAILED', 'MIGRATED', 'RETRIES_UPDATED', 'TIMED_OUT'] as const;

const activateSchema = z.strictObject({
  type: z.string().min(1),
  worker: z.string().optional(),
  timeout: int64.refine((t) => t > 0, 'must be > 0 (milliseconds the job stays with this worker)'),
  maxJobsToActivate: z.number().int().min(1),
  fetchVariable: z.array(z.string()).optional(),
  requestTimeout: int64.optional(),
  tenantIds: z.array(tenantId).optional(),
});

/** `JobResultCorrections`: attributes other than these are ignored, as in Camunda. */
const correctionsSchema = z.object({
  assignee: z.string().nullish(),
  dueDate: z.string().nullish(),
  followUpDate: z.string().nullish(),
  candidateUsers: z.array(z.string()).nullish(),
  candidateGroups: z.array(z.string()).nullish(),
  priority: z.number().int().nullish(),
});

const completeSchema = z.strictObject({
  variables: variablesObject.nullish(),
  result: z
    .object({
      type: z.string().optional(),
      denied: z.boolean().nullish(),
      deniedReason: z.string().nullish(),
      corrections: correctionsSchema.nullish(),
    })
    .nullish(),
});

const JOB_KINDS = ['BPMN_ELEMENT', 'EXECUTION_LISTENER', 'TASK_LISTENER', 'AD_HOC_SUB_PROCESS'] as const;
const LISTENER_EVENT_TYPES = ['ASSIGNING', 'CANCELING', 'COMPLETING', 'CREATING', 'END', 'START', 'UNSPECIFIED', 'UPDATING'] as const;

const failSchema = z.strictObject({
  retries: z.number().int().min(0).optional(),
  errorMessage: z.string().optional(),
  retryBackOff: int64.refine((t) => t >= 0, 'must be >= 0 (milliseconds)').optional(),
  variables: variablesObject.optional(),
});

const errorSchema = z.strictObject({
  errorCode: z.string().min(1),
  errorMessage: z.string().nullish(),
  variables: variablesObject.nullish(),
});

const updateSchema = z.strictObject({
  changeset: z.strictObject({
    retries: z.number().int().min(0).nullish(),
    timeout: int64.nullish(),
  }),
  operationReference: int64.optional(),
});

export const jobSearchSpec: SearchSpec = {
  resource: 'job',
  keyField: 'jobKey',
  filters: {
    deadline: { kind: 'date', toStored: (v) => Date.parse(v as string) },
    elementId: { kind: 'string' },
    elementInstanceKey: { kind: 'key' },
    endTime: { kind: 'date' },
    errorCode: { kind: 'string' },
    errorMessage: { kind: 'string' },
    hasFailedWithRetriesLeft: { kind: 'bool' },
    jobKey: { kind: 'key' },
    // Stored on task listener jobs only; an ordinary job has neither field.
    kind: { kind: 'enum', field: 'jobKind', values: JOB_KINDS, ifMissing: 'BPMN_ELEMENT' },
    listenerEventType: { kind: 'enum', values: LISTENER_EVENT_TYPES, ifMissing: 'UNSPECIFIED' },
    isDenied: { kind: 'bool' },
    deniedReason: { kind: 'string' },
    processDefinitionId: { kind: 'string' },
    processDefinitionKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
    retries: { kind: 'int' },
    state: { kind: 'enum', values: JOB_STATES },
    tenantId: { kind: 'string' },
    type: { kind: 'string' },
    worker: { kind: 'string' },
  },
  sort: {
    ...Object.fromEntries(
      [
        'deadline', 'elementId', 'elementInstanceKey', 'endTime', 'errorCode', 'errorMessage', 'jobKey', 'processDefinitionId',
        'processDefinitionKey', 'processInstanceKey', 'retries', 'state', 'tenantId', 'type', 'worker',
      ].map((f) => [f, f]),
    ),
    kind: 'jobKind',
    listenerEventType: 'listenerEventType',
    deniedReason: 'deniedReason',
    isDenied: 'isDenied',
  },
};

function toJobResult(result: NonNullable<z.output<typeof completeSchema>['result']>): JobCompletionResult {
  if (result.type !== undefined && result.type !== 'userTask') {
    throw invalidArgument(`'result' of type '${result.type}' is not supported by this engine; only 'userTask' (task listener jobs)`);
  }
  const corrections = Object.fromEntries(Object.entries(result.corrections ?? {}).filter(([, v]) => v !== undefined && v !== null));
  return {
    ...(result.denied != null ? { denied: result.denied } : {}),
    ...(result.deniedReason != null ? { deniedReason: result.deniedReason } : {}),
    ...(Object.keys(corrections).length > 0 ? { corrections } : {}),
  };
}

/** `POST /jobs/activation`; hot-routes.ts also calls it, without Express. */
export function activateJobsRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const { tenantIds: _t, ...input } = parseBody(activateSchema, req);
    const jobs = await api.activateJobs(input, abortOnClose(res));
    if (res.writableEnded || res.destroyed) return;
    sendJson(res, 200, { jobs: jobs.map(mapActivatedJob) });
  };
}

/** `POST /jobs/{jobKey}/completion`; hot-routes.ts also calls it, without Express. */
export function completeJobRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const key = keyParam(req, 'jobKey');
    const { variables, result } = parseBody(completeSchema, req);
    await api.completeJob(key, variables ?? undefined, result ? toJobResult(result) : undefined);
    res.writeHead(204).end();
  };
}

export function jobsRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/jobs/activation', activateJobsRoute(api));

  router.post('/jobs/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), jobSearchSpec, (q) => api.searchJobs(q), mapJob));
  });

  router.post('/jobs/:jobKey/completion', completeJobRoute(api));

  router.post('/jobs/:jobKey/failure', async (req, res) => {
    const key = keyParam(req, 'jobKey');
    await api.failJob(key, parseBody(failSchema, req));
    res.status(204).end();
  });

  router.post('/jobs/:jobKey/error', async (req, res) => {
    const key = keyParam(req, 'jobKey');
    const { errorCode, errorMessage, variables } = parseBody(errorSchema, req);
    await api.throwJobError(key, {
      errorCode,
      ...(errorMessage != null ? { errorMessage } : {}),
      ...(variables != null ? { variables } : {}),
    });
    res.status(204).end();
  });

  router.patch('/jobs/:jobKey', async (req, res) => {
    const key = keyParam(req, 'jobKey');
    const { changeset } = parseBody(updateSchema, req);
    const update = {
      ...(changeset.retries != null ? { retries: changeset.retries } : {}),
      ...(changeset.timeout != null ? { timeout: changeset.timeout } : {}),
    };
    if (Object.keys(update).length === 0) throw invalidArgument("'changeset' must set 'retries' or 'timeout'");
    await api.updateJob(key, update);
    res.status(204).end();
  });

  return router;
}
