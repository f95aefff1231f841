import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import { evaluateDecision } from './evaluate-decision.js';
import { bkm, dmn, literal, requiringKnowledge, table, type TableSpec } from './test-dmn.js';
import type { CompiledDecisionRequirements } from './types.js';

async function drgOf(body: string): Promise<CompiledDecisionRequirements> {
  const { drg, errors } = await compileDmn('test.dmn', dmn(body));
  expect(errors).toEqual([]);
  return drg!;
}

/** Evaluates decision `d` of a one-table DRG; returns output, matched rule indexes and failure. */
async function run(spec: TableSpec, variables: Record<string, unknown>) {
  const evaluation = evaluateDecision(await drgOf(table('d', spec)), 'd', variables);
  return {
    output: evaluation.output,
    rules: evaluation.evaluatedDecisions[0]?.matchedRules.map((rule) => rule.ruleIndex) ?? [],
    failure: evaluation.failure?.message,
  };
}

/** Age brackets that overlap: every rule matches age 19 (the advertisement example of Camunda's hit policy page). */
const ads = (hitPolicy: string, aggregation?: string): TableSpec => ({
  hitPolicy,
  ...(aggregation ? { aggregation } : {}),
  inputs: ['age'],
  outputs: [{ name: 'ad', values: '"Cars","Videogames","Toys"' }],
  rules: [[['>= 18'], ['"Toys"']], [['>= 12'], ['"Videogames"']], [['>= 18'], ['"Cars"']]],
});

describe('evaluateDecision applies each hit policy as Camunda does', () => {
  it('UNIQUE: the one matching rule, null when none matches, a failure naming the rules when several match', async () => {
    const seasons: TableSpec = { inputs: ['season'], outputs: ['dish'], rules: [[['"Fall"'], ['"Stew"']], [['"Summer"'], ['"Salad"']], [['"Summer","Fall"'], ['"Soup"']]] };
    expect(await run(seasons, { season: 'Winter' })).toEqual({ output: null, rules: [], failure: undefined });
    const both = await run(seasons, { season: 'Fall' });
    expect(both.output).toBeNull();
    expect(both.failure).toMatch(/^Expected to evaluate decision 'd', but hit policy UNIQUE allows one matching rule, but 2 rules match \('d_r1' \(#1\), 'd_r3' \(#3\)\)/);
    const table = seasons.rules.slice(0, 2) as TableSpec['rules'];
    expect(await run({ ...seasons, rules: table }, { season: 'Summer' })).toEqual({ output: 'Salad', rules: [2], failure: undefined });
  });

  it('FIRST: the first matching rule only', async () => {
    expect(await run(ads('FIRST'), { age: 19 })).toEqual({ output: 'Toys', rules: [1], failure: undefined });
    expect(await run(ads('FIRST'), { age: 13 })).toEqual({ output: 'Videogames', rules: [2], failure: undefined });
  });

  it('ANY: the output when every matching rule agrees, a failure when they differ', async () => {
    const leave: TableSpec = {
      hitPolicy: 'ANY',
      inputs: ['vacationDays', 'probation'],
      outputs: ['result'],
      rules: [[['0', '-'], ['"refused"']], [['-', 'true'], ['"refused"']], [['> 0', 'false'], ['"applied"']]],
    };
    expect(await run(leave, { vacationDays: 0, probation: true })).toEqual({ output: 'refused', rules: [1, 2], failure: undefined });
    expect(await run(leave, { vacationDays: 5, probation: false })).toEqual({ output: 'applied', rules: [3], failure: undefined });
    const disagree = await run({ ...leave, rules: [[['-', '-'], ['"a"']], [['-', '-'], ['"b"']]] }, { vacationDays: 1, probation: false });
    expect(disagree.failure).toContain('hit policy ANY needs every matching rule to give the same output');
  });

  it('PRIORITY: the matching output first in outputValues', async () => {
    expect(await run(ads('PRIORITY'), { age: 19 })).toEqual({ output: 'Cars', rules: [1, 2, 3], failure: undefined });
    expect(await run(ads('PRIORITY'), { age: 13 })).toEqual({ output: 'Videogames', rules: [2], failure: undefined });
  });

  it('OUTPUT ORDER: every matching output, ordered by outputValues', async () => {
    expect((await run(ads('OUTPUT ORDER'), { age: 19 })).output).toEqual(['Cars', 'Videogames', 'Toys']);
  });

  it('RULE ORDER and COLLECT: every matching output in rule order', async () => {
    expect((await run(ads('RULE ORDER'), { age: 19 })).output).toEqual(['Toys', 'Videogames', 'Cars']);
    expect((await run(ads('COLLECT'), { age: 19 })).output).toEqual(['Toys', 'Videogames', 'Cars']);
    expect((await run(ads('COLLECT'), { age: 13 })).output).toEqual(['Videogames']);
  });

  const bonus = (aggregation: string): TableSpec => ({
    hitPolicy: 'COLLECT',
    aggregation,
    inputs: ['years'],
    outputs: ['bonus'],
    rules: [[['>= 0'], ['100']], [['>= 1'], ['200']], [['>= 3'], ['300']], [['>= 5'], ['400']]],
  });

  it('COLLECT with SUM, MIN, MAX and COUNT', async () => {
    expect((await run(bonus('SUM'), { years: 3.5 })).output).toBe(600);
    expect((await run(bonus('MIN'), { years: 3.5 })).output).toBe(100);
    expect((await run(bonus('MAX'), { years: 3.5 })).output).toBe(300);
    expect((await run(bonus('COUNT'), { years: 4 })).output).toBe(3);
  });

  it('no match gives null for every policy (as dmn-scala), or the outputs\' default entries', async () => {
    for (const policy of ['COLLECT', 'RULE ORDER', 'OUTPUT ORDER']) expect((await run(ads(policy), { age: 5 })).output).toBeNull();
    expect((await run(bonus('SUM'), { years: -1 })).output).toBeNull();
    expect((await run(bonus('COUNT'), { years: -1 })).output).toBeNull();
    const withDefault: TableSpec = { inputs: ['x'], outputs: [{ name: 'y', default: '"none"' }], rules: [[['1'], ['"one"']]] };
    expect((await run(withDefault, { x: 2 })).output).toBe('none');
  });

  it('aggregating something that is not a number is a failure naming the rule', async () => {
    const failure = (await run({ ...bonus('SUM'), rules: [[['-'], ['"lots"']]] }, { years: 1 })).failure;
    expect(failure).toContain("needs numbers, but rule 'd_r1' (#1) gives \"lots\"");
  });

  it('several outputs give a context keyed by output name, and a list of contexts for multi-hit policies', async () => {
    const spec: TableSpec = { hitPolicy: 'RULE ORDER', inputs: ['x'], outputs: ['a', 'b'], rules: [[['> 0'], ['1', '"one"']], [['> 1'], ['2', '"two"']]] };
    expect((await run(spec, { x: 2 })).output).toEqual([{ a: 1, b: 'one' }, { a: 2, b: 'two' }]);
    expect((await run({ ...spec, hitPolicy: 'FIRST' }, { x: 2 })).output).toEqual({ a: 1, b: 'one' });
  });
});

describe('evaluateDecision reads unary tests as FEEL does', () => {
  const cases: [string, unknown, boolean][] = [
    ['-', 'anything', true],
    ['', null, true],
    ['"a"', 'a', true],
    ['"a","b"', 'b', true],
    ['"a","b"', 'c', false],
    ['not("a")', 'b', true],
    ['not("a")', 'a', false],
    ['< 10', 9, true],
    ['<= 10', 10, true],
    ['> 10', 10, false],
    ['>= 10', 10, true],
    ['[1..5]', 5, true],
    ['[1..5)', 5, false],
    ['(1..5]', 1, false],
    [']1..5]', 3, true],
    ['< 5, > 10', 11, true],
    ['? > 3', 4, true],
    ['? * 2 = 8', 4, true],
    ['limit', 7, true],
    ['>= limit', 6, false],
    ['null', null, true],
    ['< 10', null, false],
    ['true', true, true],
    ['false', true, false],
    ['date("2024-01-01")', null, false],
    ['>= 0', 'x', false],
    ['[1..5]', 'x', false],
    ['not(> 3)', 'x', false],
    ['"x", > 3', 'x', true],
    ['> "m"', 'z', true],
    ['>= date("2024-01-01")', '2024-03-01', false],
    ['[date("2024-01-01")..date("2024-12-31")]', '2024-03-01', false],
    ['not(< date("2024-01-01"))', '2024-03-01', false],
  ];
  it.each(cases)('%s against %j matches: %s', async (entry, value, expected) => {
    const result = await run({ inputs: ['value'], outputs: ['y'], rules: [[[entry], ['"hit"']]] }, { value, limit: 7 });
    expect(result.failure).toBeUndefined();
    expect(result.output).toBe(expected ? 'hit' : null);
  });

  it('compares dates given by the input expression', async () => {
    const spec: TableSpec = { inputs: ['date(day)'], outputs: ['y'], rules: [[['>= date("2024-01-01")'], ['"new"']], [['< date("2024-01-01")'], ['"old"']]] };
    expect((await run(spec, { day: '2024-03-01' })).output).toBe('new');
    expect((await run(spec, { day: '2023-03-01' })).output).toBe('old');
  });

  it('reports the evaluated inputs and the matched rules with their outputs', async () => {
    const evaluation = evaluateDecision(await drgOf(table('d', { hitPolicy: 'COLLECT', inputs: ['x + 1'], outputs: ['y'], rules: [[['> 1'], ['"a"']], [['< 0'], ['"b"']]] })), 'd', { x: 2 });
    expect(evaluation.evaluatedDecisions).toEqual([{
      decisionId: 'd',
      decisionName: 'd name',
      decisionType: 'DECISION_TABLE',
      output: ['a'],
      evaluatedInputs: [{ inputId: 'd_i1', inputName: 'in1', inputValue: 3 }],
      matchedRules: [{ ruleId: 'd_r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'd_o1', outputName: 'y', outputValue: 'a' }] }],
    }]);
  });
});

describe('evaluateDecision evaluates literal expressions and decision requirements', () => {
  it('a literal expression, its result converted to JSON', async () => {
    const drg = await drgOf(literal('d', '{ total: a + b, day: date("2024-01-02") }'));
    const evaluation = evaluateDecision(drg, 'd', { a: 1, b: 2 });
    expect(evaluation).toEqual({
      output: { total: 3, day: '2024-01-02' },
      evaluatedDecisions: [{ decisionId: 'd', decisionName: 'd name', decisionType: 'LITERAL_EXPRESSION', output: { total: 3, day: '2024-01-02' }, evaluatedInputs: [], matchedRules: [] }],
    });
  });

  it('checks the result against the variable typeRef', async () => {
    const drg = await drgOf(literal('d', '"ten"', { variable: 'd', typeRef: 'number' }));
    expect(evaluateDecision(drg, 'd', {}).failure?.message).toContain("is not of the declared type 'number'");
  });

  it('required decisions first, each once, their results under their id (or variable name)', async () => {
    const drg = await drgOf(
      literal('top', 'left + right + shared', { requires: ['left', 'right', 'base'] }) +
      literal('left', 'shared * 2', { requires: ['base'] }) +
      literal('right', 'shared * 3', { requires: ['base'] }) +
      literal('base', 'x + 1', { variable: 'shared' }),
    );
    const evaluation = evaluateDecision(drg, 'top', { x: 1 });
    expect(evaluation.failure).toBeUndefined();
    expect(evaluation.output).toBe(2 * 2 + 2 * 3 + 2);
    expect(evaluation.evaluatedDecisions.map((d) => [d.decisionId, d.output])).toEqual([['base', 2], ['left', 4], ['right', 6], ['top', 12]]);
  });

  it('a decision that fails stops the evaluation; the ones before it and the failing one are reported', async () => {
    const drg = await drgOf(literal('top', 'inner', { requires: ['inner'] }) + table('inner', { inputs: ['x'], outputs: ['y'], rules: [[['-'], ['1']], [['-'], ['2']]] }));
    const evaluation = evaluateDecision(drg, 'top', { x: 1 });
    expect(evaluation.output).toBeNull();
    expect(evaluation.failure).toMatchObject({ decisionId: 'inner' });
    expect(evaluation.failure!.message).toContain("Expected to evaluate decision 'inner', but hit policy UNIQUE");
    expect(evaluation.evaluatedDecisions.map((d) => [d.decisionId, d.output])).toEqual([['inner', null]]);
    expect(evaluation.evaluatedDecisions[0]!.evaluatedInputs).toEqual([{ inputId: 'inner_i1', inputName: 'in1', inputValue: 1 }]);
  });

  it('an unknown decision id, and a required decision missing from the graph, are failures, not throws', async () => {
    const drg = await drgOf(literal('d', '1'));
    expect(evaluateDecision(drg, 'nope', {}).failure?.message).toContain("no decision with this id is part of the decision requirements 'drg'");
    const broken: CompiledDecisionRequirements = { ...drg, decisions: [{ ...drg.decisions[0]!, requiredDecisionIds: ['gone'] }] };
    expect(evaluateDecision(broken, 'd', {}).failure).toMatchObject({ decisionId: 'd', message: expect.stringContaining("required decision 'gone'") });
  });

  it('business knowledge models are functions the requiring decision calls, closed over their parameters', async () => {
    const drg = await drgOf(
      requiringKnowledge(literal('d', 'fee(amount, 3) + amount'), ['fee']) +
      bkm('fee', 'fee', ['a', 'rate'], 'double(a) * rate + if amount = null then 0 else 1000', ['dbl']) +
      bkm('dbl', 'double', ['x'], 'x * 2'),
    );
    expect(evaluateDecision(drg, 'd', { amount: 10 }).output).toBe(10 * 2 * 3 + 10);
  });

  it('a decision table can call a business knowledge model in its output entries', async () => {
    const drg = await drgOf(requiringKnowledge(table('d', { inputs: ['x'], outputs: ['y'], rules: [[['> 0'], ['half(x)']]] }), ['half']) + bkm('half', 'half', ['n'], 'n / 2'));
    expect(evaluateDecision(drg, 'd', { x: 8 }).output).toBe(4);
  });

  it('an unexpected error inside the evaluation is still a failure, not a throw', async () => {
    const drg = await drgOf(literal('d', '1'));
    const broken: CompiledDecisionRequirements = { ...drg, decisions: [{ ...drg.decisions[0]!, logic: { kind: 'decisionTable' } }] };
    expect(evaluateDecision(broken, 'd', {})).toMatchObject({ output: null, failure: { decisionId: 'd', message: expect.stringContaining('failed unexpectedly') } });
  });
});
