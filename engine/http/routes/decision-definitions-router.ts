/** Decision definitions: evaluation, search, get, XML (of the DRG the decision belongs to). */
import { Router } from 'express';
import { z } from 'zod';
import type { DecisionEvaluationOutcome } from '../../runtime/decision-api.js';
import type { EngineApi } from '../../runtime/engine-api.js';
import { toJsonText } from '../../runtime/processor/decision-commands.js';
import { invalidArgument } from '../../errors.js';
import { mapDecisionDefinition } from '../mappers.js';
import type { SearchSpec } from '../search-request.js';
import { runSearch } from '../search-response.js';
import { bodyOf, keyParam, keyString, parseBody, tenantId, variablesObject } from '../validation.js';

const DEFINITION_FIELDS = ['decisionDefinitionKey', 'decisionDefinitionId', 'name', 'version', 'decisionRequirementsId', 'decisionRequirementsKey', 'tenantId'];

export const decisionDefinitionSearchSpec: SearchSpec = {
  resource: 'decision definition',
  keyField: 'decisionDefinitionKey',
  filters: {
    decisionDefinitionId: { kind: 'string' },
    name: { kind: 'string' },
    version: { kind: 'int' },
    decisionRequirementsId: { kind: 'string' },
    tenantId: { kind: 'string' },
    decisionDefinitionKey: { kind: 'key' },
    decisionRequirementsKey: { kind: 'key' },
  },
  sort: Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, f])),
};

const evaluationSchema = z.strictObject({
  decisionDefinitionKey: keyString.optional(),
  decisionDefinitionId: z.string().min(1).optional(),
  variables: variablesObject.nullish(),
  tenantId: tenantId.optional(),
});

/** EvaluateDecisionResult: the called decision's result and every decision evaluated on the way, outputs as JSON text. */
export function mapEvaluation(outcome: DecisionEvaluationOutcome): Record<string, unknown> {
  const { decision, evaluation, instances } = outcome;
  return {
    decisionDefinitionId: decision.decisionDefinitionId,
    decisionDefinitionName: decision.name,
    decisionDefinitionVersion: decision.version,
    decisionRequirementsId: decision.decisionRequirementsId,
    output: toJsonText(evaluation.failure ? null : evaluation.output),
    failedDecisionDefinitionId: evaluation.failure?.decisionId ?? '',
    failureMessage: evaluation.failure?.message ?? '',
    tenantId: decision.tenantId,
    decisionDefinitionKey: decision.decisionDefinitionKey,
    decisionRequirementsKey: decision.decisionRequirementsKey,
    decisionInstanceKey: outcome.decisionEvaluationKey,
    decisionEvaluationKey: outcome.decisionEvaluationKey,
    evaluatedDecisions: instances.map((i) => ({
      decisionDefinitionId: i.decisionDefinitionId,
      decisionDefinitionName: i.decisionDefinitionName,
      decisionDefinitionVersion: i.decisionDefinitionVersion,
      decisionDefinitionType: i.decisionDefinitionType,
      output: i.result,
      tenantId: i.tenantId,
      matchedRules: i.matchedRules,
      evaluatedInputs: i.evaluatedInputs,
      decisionDefinitionKey: i.decisionDefinitionKey,
      decisionEvaluationInstanceKey: i.decisionEvaluationInstanceKey,
    })),
  };
}

export function decisionDefinitionsRouter(api: EngineApi): Router {
  const router = Router();

  router.post('/decision-definitions/evaluation', async (req, res) => {
    const body = parseBody(evaluationSchema, req);
    const byKey = body.decisionDefinitionKey !== undefined;
    const byId = body.decisionDefinitionId !== undefined;
    if (byKey === byId) {
      throw invalidArgument('Invalid request body: expected exactly one of decisionDefinitionKey and decisionDefinitionId');
    }
    const outcome = await api.evaluateDecision({
      ...(byKey ? { decisionDefinitionKey: body.decisionDefinitionKey! } : { decisionDefinitionId: body.decisionDefinitionId! }),
      variables: body.variables ?? {},
    });
    res.json(mapEvaluation(outcome));
  });

  router.post('/decision-definitions/search', async (req, res) => {
    res.json(await runSearch(bodyOf(req), decisionDefinitionSearchSpec, (q) => api.searchDecisionDefinitions(q), mapDecisionDefinition));
  });

  router.get('/decision-definitions/:decisionDefinitionKey', async (req, res) => {
    res.json(mapDecisionDefinition(await api.getDecisionDefinition(keyParam(req, 'decisionDefinitionKey'))));
  });

  router.get('/decision-definitions/:decisionDefinitionKey/xml', async (req, res) => {
    const decision = await api.getDecisionDefinition(keyParam(req, 'decisionDefinitionKey'));
    const drg = await api.getDecisionRequirements(decision.decisionRequirementsKey);
    res.type('text/xml').send(drg.xml);
  });

  return router;
}
