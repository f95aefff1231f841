import { toJsonValue } from '../feel/feel-values.js';
import { applyHitPolicy, reportedHits, resultOf, type RuleHit } from './apply-hit-policy.js';
import { DecisionFailure, describeValue } from './decision-failure.js';
import type { DecisionTableLogic, TableRule } from './decision-logic.js';
import { runExpression, runUnaryTests } from './dmn-feel.js';
import type { EvaluatedInput, MatchedRule } from './types.js';

export interface TableEvaluation {
  /** Raw FEEL result (null when nothing matched and no output has a default). */
  output: unknown;
  evaluatedInputs: EvaluatedInput[];
  matchedRules: MatchedRule[];
}

/** What was known about a table when it failed, for the failing decision's audit. */
export class TableFailure extends DecisionFailure {
  constructor(message: string, readonly evaluatedInputs: EvaluatedInput[]) {
    super(message);
  }
}

/**
 * Evaluates a decision table as dmn-scala does: every input expression once, every rule's input entries against the
 * inputs (`?` is the input value; true matches, false and null do not, anything else fails), the output entries of the
 * matched rules, then the hit policy. No matching rule gives the outputs' default entries, else null.
 */
export function evaluateDecisionTable(table: DecisionTableLogic, variables: Record<string, unknown>): TableEvaluation {
  const inputValues: unknown[] = [];
  const evaluatedInputs: EvaluatedInput[] = [];
  try {
    for (const input of table.inputs) {
      const value = feel(() => runExpression(input.expression, variables), `input expression '${input.expression}' of input '${input.name}'`);
      inputValues.push(value);
      evaluatedInputs.push({ inputId: input.id, inputName: input.name, inputValue: json(value) });
    }
    const matched = table.rules.filter((rule) => matches(rule, inputValues, variables));
    if (matched.length === 0) return { output: defaults(table, variables), evaluatedInputs, matchedRules: [] };
    const hits: RuleHit[] = reportedHits(table.hitPolicy, matched).map((rule) => ({
      rule,
      values: rule.outputEntries.map((text) => feel(() => runExpression(text, variables), `output entry '${text}' of rule '${rule.id}' (#${rule.index})`)),
    }));
    const output = applyHitPolicy(table, hits);
    const matchedRules = hits.map(({ rule, values }) => ({
      ruleId: rule.id,
      ruleIndex: rule.index,
      evaluatedOutputs: table.outputs.map((out, i) => ({ outputId: out.id, outputName: out.displayName, outputValue: json(values[i]) })),
    }));
    return { output, evaluatedInputs, matchedRules };
  } catch (error) {
    if (error instanceof DecisionFailure) throw new TableFailure(error.message, evaluatedInputs);
    throw error;
  }
}

function matches(rule: TableRule, inputValues: unknown[], variables: Record<string, unknown>): boolean {
  return rule.inputEntries.every((text, i) => {
    const result = feel(() => runUnaryTests(text, inputValues[i], variables), `input entry '${text}' of rule '${rule.id}' (#${rule.index})`);
    if (result === true) return true;
    if (result === false || result === null || result === undefined) return false;
    throw new DecisionFailure(
      `input entry '${text}' of rule '${rule.id}' (#${rule.index}) must give true, false or null, but gave ${describeValue(result)}; write it as unary tests (e.g. "> 5", "\\"a\\",\\"b\\"", "-")`,
    );
  });
}

function defaults(table: DecisionTableLogic, variables: Record<string, unknown>): unknown {
  const withDefault = table.outputs.filter((output) => output.defaultExpression !== undefined);
  if (withDefault.length === 0) return null;
  const values = withDefault.map((output) => feel(() => runExpression(output.defaultExpression!, variables), `default output entry of output '${output.displayName}'`));
  return resultOf(withDefault, values);
}

/** Runs FEEL, turning its exceptions into a DecisionFailure that says which expression failed. */
function feel<T>(run: () => T, what: string): T {
  try {
    return run();
  } catch (error) {
    throw new DecisionFailure(`failed to evaluate ${what}: ${(error as Error).message}`);
  }
}

/** A FEEL value as JSON for the audit (values JSON cannot hold, a range or a function, become their text). */
export function json(value: unknown): unknown {
  try {
    return toJsonValue(value);
  } catch {
    return String(value);
  }
}
