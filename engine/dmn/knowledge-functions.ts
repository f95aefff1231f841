import { FeelFunction } from 'feelin';
import type { KnowledgeModel } from './decision-logic.js';
import { runExpression } from './dmn-feel.js';

/**
 * The FEEL functions of the business knowledge models a decision requires, by BKM name. A BKM's body sees its
 * parameters and the BKMs it requires, nothing of the caller's variables (a BKM is a closed function in DMN).
 */
export function knowledgeFunctions(models: readonly KnowledgeModel[] | undefined): Record<string, FeelFunction> {
  const functions: Record<string, FeelFunction> = {};
  for (const model of models ?? []) functions[model.name] = functionOf(model);
  return functions;
}

function functionOf(model: KnowledgeModel): FeelFunction {
  return new FeelFunction((...args: unknown[]) => {
    const scope: Record<string, unknown> = knowledgeFunctions(model.knowledge);
    model.parameters.forEach((parameter, i) => {
      scope[parameter] = args[i] ?? null;
    });
    return runExpression(model.expression, scope);
  }, model.parameters);
}
