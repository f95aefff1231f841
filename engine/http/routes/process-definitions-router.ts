/** Process definitions: search (with isLatestVersion), get, XML, start form. */
import { Router } from 'express';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import type { ProcessDefinitionRecord } from '../../runtime/records.js';
import { mapForm, mapProcessDefinition } from '../mappers.js';
import { MAX_LIMIT, translateSearchRequest, type SearchSpec } from '../search-request.js';
import { toSearchResponse } from '../search-response.js';
import { bodyOf, keyParam, parseWith } from '../validation.js';

export const processDefinitionSearchSpec: SearchSpec = {
  resource: 'process definition',
  keyField: 'processDefinitionKey',
  filters: {
    name: { kind: 'string' },
    resourceName: { kind: 'string' },
    version: { kind: 'int' },
    versionTag: { kind: 'string' },
    processDefinitionId: { kind: 'string' },
    tenantId: { kind: 'string' },
    processDefinitionKey: { kind: 'key' },
    hasStartForm: { kind: 'bool' },
  },
  sort: Object.fromEntries(
    ['processDefinitionKey', 'name', 'resourceName', 'version', 'versionTag', 'processDefinitionId', 'tenantId'].map((f) => [f, f]),
  ),
};

const latestFlag = z.boolean().optional();

/** Splits `isLatestVersion` off the filter: the store cannot express it, so it is applied here. */
function splitLatest(body: unknown): { body: unknown; latestOnly: boolean } {
  if (typeof body !== 'object' || body === null) return { body, latestOnly: false };
  const filter = (body as { filter?: unknown }).filter;
  if (typeof filter !== 'object' || filter === null || !('isLatestVersion' in filter)) return { body, latestOnly: false };
  const { isLatestVersion, ...rest } = filter as Record<string, unknown>;
  const latestOnly = parseWith(latestFlag, isLatestVersion, "filter 'isLatestVersion'") === true;
  return { body: { ...(body as object), filter: rest }, latestOnly };
}

export function processDefinitionsRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/process-definitions/search', async (req, res) => {
    const { body, latestOnly } = splitLatest(bodyOf(req));
    const { query } = translateSearchRequest(body, processDefinitionSearchSpec);
    if (!latestOnly) {
      res.json(toSearchResponse(await api.searchProcessDefinitions(query), query, mapProcessDefinition));
      return;
    }
    const all = await api.searchProcessDefinitions({ filters: [], sort: [], offset: 0, limit: MAX_LIMIT });
    const latest = new Map<string, number>();
    for (const d of all.items) latest.set(d.processDefinitionId, Math.max(latest.get(d.processDefinitionId) ?? 0, d.version));
    const matching = await api.searchProcessDefinitions({ ...query, offset: 0, limit: MAX_LIMIT });
    const items: ProcessDefinitionRecord[] = matching.items.filter((d) => latest.get(d.processDefinitionId) === d.version);
    const page = { items: items.slice(query.offset, query.offset + query.limit), total: items.length };
    res.json(toSearchResponse(page, query, mapProcessDefinition));
  });

  router.get('/process-definitions/:processDefinitionKey', async (req, res) => {
    res.json(mapProcessDefinition(await api.getProcessDefinition(keyParam(req, 'processDefinitionKey'))));
  });

  router.get('/process-definitions/:processDefinitionKey/xml', async (req, res) => {
    const definition = await api.getProcessDefinition(keyParam(req, 'processDefinitionKey'));
    res.type('text/xml').send(definition.xml);
  });

  router.get('/process-definitions/:processDefinitionKey/form', async (req, res) => {
    const key = keyParam(req, 'processDefinitionKey');
    const definition = await api.getProcessDefinition(key);
    if (!definition.hasStartForm) {
      res.status(204).end();
      return;
    }
    res.json(mapForm(await api.getStartForm(key)));
  });

  return router;
}
