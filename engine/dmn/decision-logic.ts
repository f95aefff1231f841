/**
 * What `compileDmn` makes of a decision's logic and `evaluateDecision` runs: this module's own structures behind the
 * contract's opaque `DecisionLogic`. FEEL is kept as written (no leading `=`: DMN text is always FEEL).
 */
import type { CollectAggregation, DecisionLogic, HitPolicy } from './types.js';

/**
 * A business knowledge model (BKM) a decision requires: a FEEL function named after the BKM, its body a literal
 * expression over its parameters (and the BKMs it requires in turn), as Camunda Modeler makes BKMs executable.
 */
export interface KnowledgeModel {
  id: string;
  /** `businessKnowledgeModel@name`: the function's name in the requiring decision's FEEL. */
  name: string;
  /** `formalParameter@name`s, in order. */
  parameters: string[];
  /** The body: a FEEL expression. */
  expression: string;
  /** The BKMs this one requires (`knowledgeRequirement`), acyclic. */
  knowledge: KnowledgeModel[];
}

/** Where every decision's result goes: the name a requiring decision reads it under, and its declared type. */
interface DecisionResult {
  /** The BKMs the decision requires, callable by name in its FEEL. */
  knowledge?: KnowledgeModel[];
  /** `variable@name` when the decision declares one, else the decision id (as dmn-scala names it). */
  resultName: string;
  /** `variable@typeRef`: the result is checked against it (string, number, boolean, date, time, dateTime, durations). */
  resultTypeRef?: string;
}

export interface TableInput {
  id: string;
  /** The input's label, else its expression text. */
  name: string;
  /** `inputExpression/text`: a FEEL expression. */
  expression: string;
}

export interface TableOutput {
  id: string;
  /** `output@name`: the key of this column in a result context (required when the table has several outputs). */
  name?: string;
  /** Name for audits: the name, else the label, else the id. */
  displayName: string;
  /** `outputValues`, as text values in priority order (PRIORITY and OUTPUT ORDER sort by them). */
  priorities: string[];
  /** `defaultOutputEntry/text`: the column's value when no rule matches. */
  defaultExpression?: string;
}

export interface TableRule {
  id: string;
  /** 1-based position in the table. */
  index: number;
  /** One FEEL unary-tests text per input; `-` (or empty) matches anything. */
  inputEntries: string[];
  /** One FEEL expression per output. */
  outputEntries: string[];
}

export interface DecisionTableLogic extends DecisionLogic, DecisionResult {
  readonly kind: 'decisionTable';
  hitPolicy: HitPolicy;
  aggregation?: CollectAggregation;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: TableRule[];
}

export interface LiteralExpressionLogic extends DecisionLogic, DecisionResult {
  readonly kind: 'literalExpression';
  /** `literalExpression/text`: a FEEL expression. */
  expression: string;
}

export type AnyDecisionLogic = DecisionTableLogic | LiteralExpressionLogic;

/** Narrows the contract's opaque logic to what this module compiled. */
export function logicOf(logic: DecisionLogic): AnyDecisionLogic {
  return logic as AnyDecisionLogic;
}

export const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
export const AGGREGATIONS: readonly CollectAggregation[] = ['SUM', 'COUNT', 'MIN', 'MAX'];
