/** Decision requirements (DRGs, one per deployed DMN resource): search, get, XML. */
import { Router } from 'express';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapDecisionRequirements } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, keyParam } from '../validation.js';

export const decisionRequirementsSearchSpec: SearchSpec = {
  resource: 'decision requirements',
  keyField: 'decisionRequirementsKey',
  filters: {
    decisionRequirementsName: { kind: 'string' },
    version: { kind: 'int' },
    decisionRequirementsId: { kind: 'string' },
    tenantId: { kind: 'string' },
    decisionRequirementsKey: { kind: 'key' },
    resourceName: { kind: 'string' },
  },
  sort: Object.fromEntries(['decisionRequirementsKey', 'decisionRequirementsName', 'version', 'decisionRequirementsId', 'tenantId'].map((f) => [f, f])),
};

export function decisionRequirementsRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/decision-requirements/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), decisionRequirementsSearchSpec, (q) => api.searchDecisionRequirements(q), mapDecisionRequirements));
  });

  router.get('/decision-requirements/:decisionRequirementsKey', async (req, res) => {
    res.json(mapDecisionRequirements(await api.getDecisionRequirements(keyParam(req, 'decisionRequirementsKey'))));
  });

  router.get('/decision-requirements/:decisionRequirementsKey/xml', async (req, res) => {
    const drg = await api.getDecisionRequirements(keyParam(req, 'decisionRequirementsKey'));
    res.type('text/xml').send(drg.xml);
  });

  return router;
}
