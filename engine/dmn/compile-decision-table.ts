import type { CompileContext } from '../model/compile-context.js';
import { children, child, idOf, str, type El } from '../model/moddle-element.js';
import {
  AGGREGATIONS,
  HIT_POLICIES,
  type DecisionTableLogic,
  type TableInput,
  type TableOutput,
  type TableRule,
} from './decision-logic.js';
import { expressionProblem, unaryTestsProblem } from './dmn-feel.js';
import type { CollectAggregation, HitPolicy } from './types.js';

/** The text of a literal expression or unary tests element (`<text>`), untrimmed; undefined when there is none. */
export function textOf(el: El | undefined): string | undefined {
  return str(el, 'text');
}

/** Refuses an expression language other than FEEL (Camunda 8 evaluates FEEL only). */
export function checkLanguage(el: El | undefined, elementId: string, ctx: CompileContext): void {
  const language = str(el, 'expressionLanguage');
  if (language !== undefined && !/^(feel|https?:\/\/www\.omg\.org\/spec\/DMN\/\d+\/FEEL\/?)$/i.test(language)) {
    ctx.refuse(elementId, `expression language '${language}' is not supported; Camunda evaluates FEEL only`);
  }
}

/** Checks one FEEL expression; `what` names it in the refusal (e.g. "input expression"). */
export function checkExpression(text: string, elementId: string, what: string, ctx: CompileContext): void {
  const problem = expressionProblem(text);
  if (problem !== undefined) ctx.refuse(elementId, `${what} is not a valid FEEL expression '${text}': ${problem}`);
}

/** Compiles a `decisionTable`, refusing what Camunda refuses; `decisionId` names the table in refusals about it. */
export function compileDecisionTable(
  table: El,
  decisionId: string,
  result: Pick<DecisionTableLogic, 'resultName' | 'resultTypeRef'>,
  ctx: CompileContext,
): DecisionTableLogic {
  const tableId = idOf(table) || decisionId;
  const hitPolicy = (str(table, 'hitPolicy') ?? 'UNIQUE') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) {
    ctx.refuse(tableId, `unknown hit policy '${hitPolicy}' (allowed: ${HIT_POLICIES.join(', ')})`);
  }
  const aggregationText = str(table, 'aggregation');
  let aggregation: CollectAggregation | undefined;
  if (aggregationText !== undefined) {
    if (!AGGREGATIONS.includes(aggregationText as CollectAggregation)) {
      ctx.refuse(tableId, `unknown aggregation '${aggregationText}' (allowed: ${AGGREGATIONS.join(', ')})`);
    } else if (hitPolicy !== 'COLLECT') {
      ctx.refuse(tableId, `aggregation '${aggregationText}' is only allowed with hit policy COLLECT, not ${hitPolicy}`);
    } else {
      aggregation = aggregationText as CollectAggregation;
    }
  }

  const inputs = children(table, 'input').map((input) => compileInput(input, ctx));
  const outputs = children(table, 'output').map((output) => compileOutput(output, ctx));
  if (outputs.length === 0) ctx.refuse(tableId, 'a decision table needs at least one output');
  if (aggregation !== undefined && outputs.length > 1) {
    ctx.refuse(tableId, `hit policy COLLECT with aggregation ${aggregation} needs exactly one output, found ${outputs.length}`);
  }
  if (outputs.length > 1) {
    const seen = new Set<string>();
    for (const output of outputs) {
      if (output.name === undefined) {
        ctx.refuse(output.id, `output '${output.displayName}' has no name; every output of a table with several outputs needs one`);
      } else if (seen.has(output.name)) {
        ctx.refuse(output.id, `output name '${output.name}' is used by two outputs of the table`);
      } else {
        seen.add(output.name);
      }
    }
  }
  const rules = children(table, 'rule').map((rule, index) => compileRule(rule, index + 1, inputs.length, outputs.length, ctx));
  const logic: DecisionTableLogic = { kind: 'decisionTable', hitPolicy, inputs, outputs, rules, ...result };
  if (aggregation !== undefined) logic.aggregation = aggregation;
  return logic;
}

function compileInput(input: El, ctx: CompileContext): TableInput {
  const id = idOf(input);
  const expressionEl = child(input, 'inputExpression');
  const expression = textOf(expressionEl)?.trim() ?? '';
  checkLanguage(expressionEl, id, ctx);
  if (expression === '') ctx.refuse(id, 'input has no input expression');
  else checkExpression(expression, id, 'input expression', ctx);
  return { id, name: str(input, 'label') ?? expression, expression };
}

function compileOutput(output: El, ctx: CompileContext): TableOutput {
  const id = idOf(output);
  const name = str(output, 'name') || undefined;
  const compiled: TableOutput = {
    id,
    displayName: name ?? str(output, 'label') ?? id,
    priorities: splitOutputValues(textOf(child(output, 'outputValues')) ?? ''),
  };
  if (name !== undefined) compiled.name = name;
  const defaultEl = child(output, 'defaultOutputEntry');
  const defaultExpression = textOf(defaultEl)?.trim();
  if (defaultExpression) {
    checkLanguage(defaultEl, id, ctx);
    checkExpression(defaultExpression, id, 'default output entry', ctx);
    compiled.defaultExpression = defaultExpression;
  }
  return compiled;
}

function compileRule(rule: El, index: number, inputCount: number, outputCount: number, ctx: CompileContext): TableRule {
  const id = idOf(rule);
  const inputEntries = children(rule, 'inputEntry').map((entry) => {
    checkLanguage(entry, id, ctx);
    const text = textOf(entry)?.trim() ?? '';
    const problem = unaryTestsProblem(text);
    if (problem !== undefined) ctx.refuse(id, `input entry is not valid FEEL unary tests '${text}': ${problem}`);
    return text;
  });
  const outputEntries = children(rule, 'outputEntry').map((entry) => {
    checkLanguage(entry, id, ctx);
    const text = textOf(entry)?.trim() ?? '';
    // Zeebe refuses an empty FEEL expression ("failed to parse expression ''"), in an output cell too.
    if (text === '') ctx.refuse(id, 'output entry is empty; write null for a rule that gives no value');
    else checkExpression(text, id, 'output entry', ctx);
    return text;
  });
  if (inputEntries.length !== inputCount) {
    ctx.refuse(id, `rule has ${inputEntries.length} input entries but the table has ${inputCount} inputs`);
  }
  if (outputEntries.length !== outputCount) {
    ctx.refuse(id, `rule has ${outputEntries.length} output entries but the table has ${outputCount} outputs`);
  }
  return { id, index, inputEntries, outputEntries };
}

/** `"low","medium","high"` or `1, 2, 3` → the values as text in order, string quotes removed (as dmn-scala reads them). */
export function splitOutputValues(text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)) {
    const value = match[1] ?? match[2]!.trim();
    if (match[1] !== undefined || value !== '') values.push(value);
  }
  return values;
}
