/** Incidents: search, get, resolve. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapIncident } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, int64, keyParam, parseBody } from '../validation.js';

const ERROR_TYPES = [
  'UNSPECIFIED', 'UNKNOWN', 'IO_MAPPING_ERROR', 'JOB_NO_RETRIES', 'EXECUTION_LISTENER_NO_RETRIES', 'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES', 'CONDITION_ERROR', 'EXTRACT_VALUE_ERROR', 'CALLED_ELEMENT_ERROR', 'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED', 'CALLED_DECISION_ERROR', 'DECISION_EVALUATION_ERROR', 'FORM_NOT_FOUND', 'RESOURCE_NOT_FOUND',
] as const;

const resolveSchema = z.strictObject({ operationReference: int64.optional() });

export const incidentSearchSpec: SearchSpec = {
  resource: 'incident',
  keyField: 'incidentKey',
  filters: {
    processDefinitionId: { kind: 'string' },
    errorType: { kind: 'enum', values: ERROR_TYPES },
    errorMessage: { kind: 'string' },
    elementId: { kind: 'string' },
    creationTime: { kind: 'date' },
    state: { kind: 'enum', values: ['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING'] },
    tenantId: { kind: 'string' },
    incidentKey: { kind: 'key' },
    processDefinitionKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
    elementInstanceKey: { kind: 'key' },
    jobKey: { kind: 'key' },
  },
  sort: Object.fromEntries(
    [
      'incidentKey', 'processDefinitionKey', 'processDefinitionId', 'processInstanceKey', 'errorType', 'errorMessage',
      'elementId', 'elementInstanceKey', 'creationTime', 'state', 'jobKey', 'tenantId',
    ].map((f) => [f, f]),
  ),
};

export function incidentsRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/incidents/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), incidentSearchSpec, (q) => api.searchIncidents(q), mapIncident));
  });

  router.get('/incidents/:incidentKey', async (req, res) => {
    res.json(mapIncident(await api.getIncident(keyParam(req, 'incidentKey'))));
  });

  router.post('/incidents/:incidentKey/resolution', async (req, res) => {
    const key = keyParam(req, 'incidentKey');
    parseBody(resolveSchema, req);
    await api.resolveIncident(key);
    res.status(204).end();
  });

  return router;
}
