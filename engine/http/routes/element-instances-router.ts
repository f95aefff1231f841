/** Element instances: search, get, and PUT variables on an element instance scope. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapElementInstance } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, int64, keyParam, parseBody, variablesObject } from '../validation.js';

const ELEMENT_TYPES = [
  'UNSPECIFIED', 'PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'START_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'INTERMEDIATE_THROW_EVENT', 'BOUNDARY_EVENT', 'END_EVENT', 'SERVICE_TASK',
  'RECEIVE_TASK', 'USER_TASK', 'MANUAL_TASK', 'TASK', 'EXCLUSIVE_GATEWAY', 'INCLUSIVE_GATEWAY', 'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK',
  'SEND_TASK', 'UNKNOWN',
] as const;

const setVariablesSchema = z.strictObject({
  variables: variablesObject,
  local: z.boolean().optional(),
  operationReference: int64.optional(),
});

export const elementInstanceSearchSpec: SearchSpec = {
  resource: 'element instance',
  keyField: 'elementInstanceKey',
  filters: {
    processDefinitionId: { kind: 'string' },
    state: { kind: 'enum', values: ['ACTIVE', 'COMPLETED', 'TERMINATED'] },
    type: { kind: 'enum', values: ELEMENT_TYPES },
    elementId: { kind: 'string' },
    elementName: { kind: 'string' },
    hasIncident: { kind: 'bool' },
    tenantId: { kind: 'string' },
    elementInstanceKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
    processDefinitionKey: { kind: 'key' },
    incidentKey: { kind: 'key' },
    startDate: { kind: 'date' },
    endDate: { kind: 'date' },
    elementInstanceScopeKey: { kind: 'key', field: 'flowScopeKey' },
  },
  sort: Object.fromEntries(
    [
      'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey', 'processDefinitionId', 'startDate', 'endDate',
      'elementId', 'elementName', 'type', 'state', 'incidentKey', 'tenantId',
    ].map((f) => [f, f]),
  ),
};

export function elementInstancesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/element-instances/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), elementInstanceSearchSpec, (q) => api.searchElementInstances(q), mapElementInstance));
  });

  router.get('/element-instances/:elementInstanceKey', async (req, res) => {
    res.json(mapElementInstance(await api.getElementInstance(keyParam(req, 'elementInstanceKey'))));
  });

  router.put('/element-instances/:elementInstanceKey/variables', async (req, res) => {
    const key = keyParam(req, 'elementInstanceKey');
    const { variables, local } = parseBody(setVariablesSchema, req);
    await api.setVariables(key, { variables, ...(local !== undefined ? { local } : {}) });
    res.status(204).end();
  });

  return router;
}
