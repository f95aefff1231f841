/**
 * DMN 1.3 as Camunda 8.8 runs it: what `compile-dmn.ts` makes of a `.dmn` resource (its decision requirements
 * graph, DRG) and what `evaluate-decision.ts` answers for one decision of it. The engine's deployment and
 * business rule tasks (engine/runtime) and the `/v2` decision endpoints (engine/http) meet this module only
 * through these types and the two functions.
 * https://docs.camunda.io/docs/components/modeler/dmn/
 */
import type { UnsupportedElement } from '../model/types.js';

/** Decision logic kinds, named as Camunda's REST API names `decisionDefinitionType`. */
export type DecisionType = 'DECISION_TABLE' | 'LITERAL_EXPRESSION';

/** Hit policies of a decision table, named as DMN 1.3 writes them in `hitPolicy`. */
export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

/** Aggregation of a COLLECT table (`aggregation` attribute); absent for a plain list. */
export type CollectAggregation = 'SUM' | 'COUNT' | 'MIN' | 'MAX';

/** One decision of a DRG as the deployment records it; `logic` is this module's own business. */
export interface CompiledDecision {
  /** `decision@id`: the decision definition id. */
  id: string;
  /** `decision@name`, or the id when absent. */
  name: string;
  /** `zeebe:versionTag` of the decision, when set. */
  versionTag?: string;
  type: DecisionType;
  /** Ids of the decisions this one requires (`informationRequirement/requiredDecision`), in document order. */
  requiredDecisionIds: string[];
  /** What `evaluateDecision` runs; opaque outside engine/dmn. */
  logic: DecisionLogic;
}

/** Opaque to the rest of the engine: engine/dmn defines and reads it. */
export interface DecisionLogic {
  readonly kind: 'decisionTable' | 'literalExpression';
}

/** A compiled DMN resource: one decision requirements graph (`dmn:definitions`). */
export interface CompiledDecisionRequirements {
  /** `definitions@id`: the decision requirements id. */
  id: string;
  /** `definitions@name`, or the id when absent. */
  name: string;
  namespace: string;
  /** Every decision of the graph, in document order. */
  decisions: CompiledDecision[];
}

export interface CompileDmnResult {
  /** The graph; undefined whenever `errors` is not empty. */
  drg?: CompiledDecisionRequirements;
  /** One entry per refused element (`elementId` is the decision, input, output or rule id), with why. */
  errors: UnsupportedElement[];
}

export interface EvaluatedInput {
  inputId: string;
  /** The input's `label`, else its expression text. */
  inputName: string;
  inputValue: unknown;
}

export interface EvaluatedOutput {
  outputId: string;
  /** The output's `name`, else its `label`. */
  outputName: string;
  outputValue: unknown;
}

export interface MatchedRule {
  ruleId: string;
  /** 1-based position of the rule in its table, as Camunda reports it. */
  ruleIndex: number;
  evaluatedOutputs: EvaluatedOutput[];
}

/** One decision evaluated on the way to the called one (required decisions first, the called one last). */
export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  decisionType: DecisionType;
  /** The decision's result as a JSON value (a context, a list, a scalar or null), per its hit policy. */
  output: unknown;
  /** Decision tables only; empty for literal expressions. */
  evaluatedInputs: EvaluatedInput[];
  /** Decision tables only; empty for literal expressions. */
  matchedRules: MatchedRule[];
}

/** The whole evaluation of one called decision, successful or not. */
export interface DecisionEvaluation {
  /** The called decision's result as a JSON value; null when the evaluation failed. */
  output: unknown;
  /** Every decision evaluated, in evaluation order; on failure, those evaluated before it and the failing one. */
  evaluatedDecisions: EvaluatedDecision[];
  /** Set when the evaluation failed: which decision, and a message a process owner can act on. */
  failure?: { decisionId: string; message: string };
}
