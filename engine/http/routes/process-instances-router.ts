/** Process instances: create (optionally awaiting completion), cancel, search, get. */
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import { invalidArgument } from '../../errors.js';
import type { CreateInstanceInput, EngineApi } from '../../runtime/engine-api.js';
import { abortOnClose } from '../abort-on-close.js';
import { mapProcessInstance } from '../mappers.js';
import { sendJson } from '../send-json.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, int64, keyParam, keyString, parseBody, tenantId, variablesObject, type RouteRequest } from '../validation.js';

const STATES = ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const;

const createSchema = z
  .strictObject({
    processDefinitionId: z.string().min(1).optional(),
    processDefinitionKey: keyString.optional(),
    processDefinitionVersion: z.number().int().optional(),
    variables: variablesObject.optional(),
    tenantId: tenantId.optional(),
    operationReference: int64.optional(),
    startInstructions: z.array(z.strictObject({ elementId: z.string().min(1) })).optional(),
    runtimeInstructions: z.array(z.unknown()).optional(),
    awaitCompletion: z.boolean().optional(),
    fetchVariables: z.array(z.string()).optional(),
    requestTimeout: int64.optional(),
    tags: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_\-:.]{0,99}$/, 'tags start with a letter; letters, digits, _ - : .')).optional(),
  })
  .refine((b) => (b.processDefinitionId === undefined) !== (b.processDefinitionKey === undefined), {
    message: "set exactly one of 'processDefinitionId' and 'processDefinitionKey'",
  })
  .refine((b) => b.processDefinitionVersion === undefined || b.processDefinitionId !== undefined, {
    message: "'processDefinitionVersion' goes with 'processDefinitionId' only",
    path: ['processDefinitionVersion'],
  });

const cancelSchema = z.strictObject({ operationReference: int64.optional() });

export const processInstanceSearchSpec: SearchSpec = {
  resource: 'process instance',
  keyField: 'processInstanceKey',
  filters: {
    processInstanceKey: { kind: 'key' },
    processDefinitionId: { kind: 'string' },
    processDefinitionName: { kind: 'string' },
    processDefinitionVersion: { kind: 'int' },
    processDefinitionVersionTag: { kind: 'string' },
    processDefinitionKey: { kind: 'key' },
    parentProcessInstanceKey: { kind: 'key' },
    parentElementInstanceKey: { kind: 'key' },
    startDate: { kind: 'date' },
    endDate: { kind: 'date' },
    state: { kind: 'enum', values: STATES },
    hasIncident: { kind: 'bool' },
    tenantId: { kind: 'string' },
    tags: { kind: 'stringList' },
  },
  sort: Object.fromEntries(
    [
      'processInstanceKey', 'processDefinitionId', 'processDefinitionName', 'processDefinitionVersion',
      'processDefinitionVersionTag', 'processDefinitionKey', 'parentProcessInstanceKey', 'parentElementInstanceKey',
      'startDate', 'endDate', 'state', 'hasIncident', 'tenantId',
    ].map((f) => [f, f]),
  ),
};

/** `POST /process-instances`; hot-routes.ts also calls it, without Express. */
export function createInstanceRoute(api: EngineApi) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    const body = parseBody(createSchema, req);
    if (body.runtimeInstructions && body.runtimeInstructions.length > 0) {
      throw invalidArgument("'runtimeInstructions' are not supported by this engine; remove them");
    }
    const { tenantId: _t, operationReference: _o, runtimeInstructions: _r, ...rest } = body;
    const input: CreateInstanceInput = rest;
    const signal = body.awaitCompletion ? abortOnClose(res) : undefined;
    const { instance, variables } = await api.createProcessInstance(input, signal);
    const out: Record<string, unknown> = {
      processDefinitionId: instance.processDefinitionId,
      processDefinitionVersion: instance.processDefinitionVersion,
      tenantId: instance.tenantId,
      variables: variables ?? {},
      processDefinitionKey: instance.processDefinitionKey,
      processInstanceKey: instance.processInstanceKey,
    };
    if (instance.tags && instance.tags.length > 0) out.tags = instance.tags;
    sendJson(res, 200, out);
  };
}

export function processInstancesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/process-instances', createInstanceRoute(api));

  router.post('/process-instances/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), processInstanceSearchSpec, (q) => api.searchProcessInstances(q), mapProcessInstance));
  });

  router.get('/process-instances/:processInstanceKey', async (req, res) => {
    res.json(mapProcessInstance(await api.getProcessInstance(keyParam(req, 'processInstanceKey'))));
  });

  router.post('/process-instances/:processInstanceKey/cancellation', async (req, res) => {
    const key = keyParam(req, 'processInstanceKey');
    parseBody(cancelSchema, req);
    await api.cancelProcessInstance(key);
    res.status(204).end();
  });

  return router;
}
