import { toJsonValue } from '../feel/feel-values.js';
import { checkResultType } from './check-result-type.js';
import { DecisionFailure } from './decision-failure.js';
import { logicOf } from './decision-logic.js';
import { runExpression } from './dmn-feel.js';
import { evaluateDecisionTable, TableFailure } from './evaluate-decision-table.js';
import { knowledgeFunctions } from './knowledge-functions.js';
import type { CompiledDecision, CompiledDecisionRequirements, DecisionEvaluation, EvaluatedDecision } from './types.js';

/**
 * Evaluates one decision of a compiled DRG with the given variables: its required decisions first (depth first, each
 * once), their results visible to the requiring decision under the required decision's result name (its variable
 * name, else its id), as Camunda does. Pure and synchronous; a failure (FEEL, hit policy, result type, a required
 * decision missing) is returned in `failure`, never thrown.
 */
export function evaluateDecision(
  drg: CompiledDecisionRequirements,
  decisionId: string,
  variables: Record<string, unknown>,
): DecisionEvaluation {
  const byId = new Map(drg.decisions.map((decision) => [decision.id, decision]));
  const evaluatedDecisions: EvaluatedDecision[] = [];
  /** Raw FEEL results of the decisions evaluated so far. */
  const results = new Map<string, unknown>();

  const evaluate = (decision: CompiledDecision): unknown => {
    if (results.has(decision.id)) return results.get(decision.id);
    const context: Record<string, unknown> = { ...variables };
    for (const requiredId of decision.requiredDecisionIds) {
      const required = byId.get(requiredId);
      if (!required) {
        throw new EvaluationFailure(
          decision.id,
          `Expected to evaluate decision '${decision.id}', but its required decision '${requiredId}' is not part of the decision requirements '${drg.id}'; deploy a DRG that contains it`,
        );
      }
      context[logicOf(required.logic).resultName] = evaluate(required);
    }
    const output = evaluateOne(decision, context, evaluatedDecisions);
    results.set(decision.id, output);
    return output;
  };

  const called = byId.get(decisionId);
  if (!called) {
    return {
      output: null,
      evaluatedDecisions,
      failure: {
        decisionId,
        message: `Expected to evaluate decision '${decisionId}', but no decision with this id is part of the decision requirements '${drg.id}' (decisions: ${drg.decisions.map((d) => d.id).join(', ')})`,
      },
    };
  }
  try {
    evaluate(called);
    // The called decision is recorded last, after everything it requires.
    return { output: evaluatedDecisions.at(-1)!.output, evaluatedDecisions };
  } catch (error) {
    if (error instanceof EvaluationFailure) {
      return { output: null, evaluatedDecisions, failure: { decisionId: error.decisionId, message: error.message } };
    }
    // Not a modelled failure (a FEEL library fault, a stack overflow on deep FEEL): still an answer, never a throw.
    const failedId = evaluatedDecisions.at(-1)?.decisionId ?? decisionId;
    const message = `Expected to evaluate decision '${failedId}', but the evaluation failed unexpectedly: ${(error as Error)?.message ?? String(error)}`;
    return { output: null, evaluatedDecisions, failure: { decisionId: failedId, message } };
  }
}

class EvaluationFailure extends Error {
  constructor(readonly decisionId: string, message: string) {
    super(message);
  }
}

/** Evaluates one decision's own logic, recording it (also when it fails) in `evaluated`. Returns the raw result. */
function evaluateOne(decision: CompiledDecision, variables: Record<string, unknown>, evaluated: EvaluatedDecision[]): unknown {
  let context = variables;
  const record: EvaluatedDecision = {
    decisionId: decision.id,
    decisionName: decision.name,
    decisionType: decision.type,
    output: null,
    evaluatedInputs: [],
    matchedRules: [],
  };
  evaluated.push(record);
  const logic = logicOf(decision.logic);
  if (logic.knowledge) context = { ...context, ...knowledgeFunctions(logic.knowledge) };
  try {
    let output: unknown;
    if (logic.kind === 'decisionTable') {
      const table = evaluateDecisionTable(logic, context);
      record.evaluatedInputs = table.evaluatedInputs;
      record.matchedRules = table.matchedRules;
      output = table.output;
    } else {
      try {
        output = runExpression(logic.expression, context);
      } catch (error) {
        throw new DecisionFailure(`failed to evaluate literal expression '${logic.expression}': ${(error as Error).message}`);
      }
    }
    checkResultType(output, logic.resultTypeRef);
    record.output = toJson(output);
    return output;
  } catch (error) {
    if (!(error instanceof DecisionFailure)) throw error;
    if (error instanceof TableFailure) record.evaluatedInputs = error.evaluatedInputs;
    throw new EvaluationFailure(decision.id, `Expected to evaluate decision '${decision.id}', but ${error.message}`);
  }
}

function toJson(value: unknown): unknown {
  try {
    return toJsonValue(value);
  } catch (error) {
    throw new DecisionFailure(`its result cannot be returned as JSON: ${(error as Error).message}`);
  }
}
