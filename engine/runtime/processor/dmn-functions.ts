/**
 * The two functions of engine/dmn the runtime calls, in one place: `compileDmn` when a `.dmn` resource is
 * deployed (and when the engine reloads its DRGs after a restart), `evaluateDecision` when a decision is evaluated.
 */
import type { CompileDmnResult } from '../../dmn/types.js';
import type { EvaluateDecisionFn } from './decision-commands.js';

/** Until engine/dmn's compiler lands: every `.dmn` resource is refused, naming why. */
export function compileDmnResource(resourceName: string, _xml: string): Promise<CompileDmnResult> {
  return Promise.resolve({ errors: [{ resourceName, elementId: '', reason: 'DMN is not supported yet by this build of the engine' }] });
}

/** Until engine/dmn's evaluator lands: every evaluation fails, naming why. */
export const evaluateDmnDecision: EvaluateDecisionFn = (_drg, decisionId) => ({
  output: null,
  evaluatedDecisions: [],
  failure: { decisionId, message: 'DMN evaluation is not supported yet by this build of the engine' },
});
