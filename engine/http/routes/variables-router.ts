/** Variables: search (values as JSON text, long ones truncated unless `?truncateValues=false`) and get. */
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { invalidArgument } from '../../errors.js';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapVariable, mapVariableSearchItem } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { sendJson } from '../send-json.js';
import { bodyOf, keyParam, type RouteRequest } from '../validation.js';

export const variableSortFields: Record<string, string> = Object.fromEntries(
  ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'].map((f) => [f, f]),
);

export const variableSearchSpec: SearchSpec = {
  resource: 'variable',
  keyField: 'variableKey',
  filters: {
    name: { kind: 'string' },
    value: { kind: 'string' },
    tenantId: { kind: 'string' },
    variableKey: { kind: 'key' },
    scopeKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
  },
  sort: variableSortFields,
};

/** The `truncateValues` query parameter (default true; a request served by hot-routes.ts has no query). */
export function truncateValuesOf(req: { query?: Record<string, unknown> }): boolean {
  const raw = req.query?.truncateValues;
  if (raw === undefined) return true;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidArgument(`Query parameter 'truncateValues' must be true or false, got '${String(raw)}'`);
}

/** `POST /variables/search` (a review decision's variable reads); hot-routes.ts also calls it, without Express. */
export function searchVariablesRoute(api: EngineApi) {
  return async (req: RouteRequest & { query?: Record<string, unknown> }, res: ServerResponse): Promise<void> => {
    const truncate = truncateValuesOf(req);
    sendJson(res, 200, await runSearch(bodyOf(req), variableSearchSpec, (q) => api.searchVariables(q), (v) => mapVariableSearchItem(v, truncate)));
  };
}

export function variablesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/variables/search', searchVariablesRoute(api));

  router.get('/variables/:variableKey', async (req, res) => {
    res.json(mapVariable(await api.getVariable(keyParam(req, 'variableKey'))));
  });

  return router;
}
