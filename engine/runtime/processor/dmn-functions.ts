/**
 * The two functions of engine/dmn the runtime calls, in one place: `compileDmn` when a `.dmn` resource is
 * deployed (and when the engine reloads its DRGs after a restart), `evaluateDecision` when a decision is evaluated.
 */
import { compileDmn, evaluateDecision, type CompileDmnResult } from '../../dmn/index.js';
import type { EvaluateDecisionFn } from './decision-commands.js';

export function compileDmnResource(resourceName: string, xml: string): Promise<CompileDmnResult> {
  return compileDmn(resourceName, xml);
}

export const evaluateDmnDecision: EvaluateDecisionFn = (drg, decisionId, variables) => evaluateDecision(drg, decisionId, variables);
