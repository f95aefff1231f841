/** Decision instances (one per decision evaluated, by a business rule task or the evaluation endpoint): search, get. */
import { Router } from 'express';
import { invalidArgument } from '../../errors.js';
import type { EngineApi } from '../../runtime/engine-api.js';
import { mapDecisionInstance, mapDecisionInstanceDetail } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf } from '../validation.js';

export const decisionInstanceSearchSpec: SearchSpec = {
  resource: 'decision instance',
  // The instance's own key orders instances as they were evaluated (`<evaluation key>-<n>` would sort as text).
  keyField: 'instanceKey',
  filters: {
    decisionEvaluationInstanceKey: { kind: 'string' },
    state: { kind: 'enum', values: ['EVALUATED', 'FAILED', 'UNSPECIFIED', 'UNKNOWN'] },
    evaluationFailure: { kind: 'string' },
    evaluationDate: { kind: 'date' },
    decisionDefinitionId: { kind: 'string' },
    decisionDefinitionName: { kind: 'string' },
    decisionDefinitionVersion: { kind: 'int' },
    decisionDefinitionType: { kind: 'enum', values: ['DECISION_TABLE', 'LITERAL_EXPRESSION', 'UNSPECIFIED', 'UNKNOWN'] },
    tenantId: { kind: 'string' },
    decisionEvaluationKey: { kind: 'key' },
    processDefinitionKey: { kind: 'key' },
    processInstanceKey: { kind: 'key' },
    decisionDefinitionKey: { kind: 'key' },
    elementInstanceKey: { kind: 'key' },
  },
  sort: {
    ...Object.fromEntries(
      [
        'decisionDefinitionId', 'decisionDefinitionKey', 'decisionDefinitionName', 'decisionDefinitionType', 'decisionDefinitionVersion',
        'decisionEvaluationKey', 'elementInstanceKey', 'evaluationDate', 'evaluationFailure', 'processDefinitionKey', 'processInstanceKey',
        'state', 'tenantId',
      ].map((f) => [f, f]),
    ),
    decisionEvaluationInstanceKey: 'instanceKey',
  },
};

const INSTANCE_KEY = /^\d{1,25}(-\d{1,10})?$/;

export function decisionInstancesRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/decision-instances/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), decisionInstanceSearchSpec, (q) => api.searchDecisionInstances(q), mapDecisionInstance));
  });

  router.get('/decision-instances/:decisionEvaluationInstanceKey', async (req, res) => {
    const key = req.params.decisionEvaluationInstanceKey ?? '';
    if (!INSTANCE_KEY.test(key)) {
      throw invalidArgument(`Path parameter 'decisionEvaluationInstanceKey' must be a decision instance key ('<decisionEvaluationKey>-<n>'), got '${key}'`);
    }
    res.json(mapDecisionInstanceDetail(await api.getDecisionInstance(key)));
  });

  return router;
}
