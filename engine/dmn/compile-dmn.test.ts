import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import { logicOf, type DecisionTableLogic } from './decision-logic.js';
import { bkm, dmn, literal, requiringKnowledge, table } from './test-dmn.js';

async function compiled(xml: string) {
  const result = await compileDmn('test.dmn', xml);
  expect(result.errors).toEqual([]);
  return result.drg!;
}

describe('compileDmn reads what Camunda runs', () => {
  it('compiles a decision table with its inputs, outputs and rules', async () => {
    const drg = await compiled(dmn(table('dish', {
      hitPolicy: 'FIRST',
      inputs: ['season', 'guests'],
      outputs: [{ name: 'dish', label: 'Dish', values: '"Stew","Salad"' }],
      rules: [[['"Fall"', '<= 8'], ['"Stew"']], [['-', ''], ['"Salad"']]],
    })));
    expect(drg).toMatchObject({ id: 'drg', name: 'Test DRG', namespace: 'http://camunda.org/schema/1.0/dmn' });
    expect(drg.decisions).toHaveLength(1);
    const decision = drg.decisions[0]!;
    expect(decision).toMatchObject({ id: 'dish', name: 'dish name', type: 'DECISION_TABLE', requiredDecisionIds: [] });
    const logic = logicOf(decision.logic) as DecisionTableLogic;
    expect(logic.hitPolicy).toBe('FIRST');
    expect(logic.inputs.map((i) => [i.id, i.name, i.expression])).toEqual([['dish_i1', 'in1', 'season'], ['dish_i2', 'in2', 'guests']]);
    expect(logic.outputs[0]).toMatchObject({ id: 'dish_o1', name: 'dish', displayName: 'dish', priorities: ['Stew', 'Salad'] });
    expect(logic.rules.map((r) => [r.id, r.index, r.inputEntries, r.outputEntries])).toEqual([
      ['dish_r1', 1, ['"Fall"', '<= 8'], ['"Stew"']],
      ['dish_r2', 2, ['-', ''], ['"Salad"']],
    ]);
  });

  it('defaults the hit policy to UNIQUE and the decision name to its id', async () => {
    const drg = await compiled(dmn(table('d', { inputs: ['x'], outputs: ['y'], rules: [] }).replace(' name="d name"', '')));
    expect(drg.decisions[0]!.name).toBe('d');
    expect((logicOf(drg.decisions[0]!.logic) as DecisionTableLogic).hitPolicy).toBe('UNIQUE');
  });

  it('compiles literal expressions and required decisions in document order', async () => {
    const drg = await compiled(dmn(
      literal('total', 'base + extra', { requires: ['base', 'extra'] }) + literal('base', '1', { variable: 'base', typeRef: 'number' }) + literal('extra', '2'),
    ));
    expect(drg.decisions.map((d) => [d.id, d.type, d.requiredDecisionIds])).toEqual([
      ['total', 'LITERAL_EXPRESSION', ['base', 'extra']],
      ['base', 'LITERAL_EXPRESSION', []],
      ['extra', 'LITERAL_EXPRESSION', []],
    ]);
    expect(logicOf(drg.decisions[1]!.logic)).toMatchObject({ expression: '1', resultName: 'base', resultTypeRef: 'number' });
    expect(logicOf(drg.decisions[2]!.logic)).toMatchObject({ resultName: 'extra' });
  });

  it('reads the zeebe:versionTag of a decision', async () => {
    const drg = await compiled(dmn(literal('d', '1').replace('name="d name">', 'name="d name"><extensionElements><zeebe:versionTag value="v2.1"/></extensionElements>')));
    expect(drg.decisions[0]!.versionTag).toBe('v2.1');
  });

  it.each([
    ['DMN 1.1', 'http://www.omg.org/spec/DMN/20151101/dmn.xsd'],
    ['DMN 1.2', 'http://www.omg.org/spec/DMN/20180521/MODEL/'],
  ])('reads %s as Camunda Modeler writes it', async (_, namespace) => {
    const xml = dmn(table('d', { inputs: ['x'], outputs: ['y'], rules: [[['1'], ['"one"']]] }), namespace);
    expect((await compiled(xml)).decisions[0]!.type).toBe('DECISION_TABLE');
    expect((await compiled(xml.replace(`xmlns="${namespace}"`, `xmlns='${namespace}'`))).decisions).toHaveLength(1);
  });

  it('compiles the business knowledge models a decision requires, with the ones they require', async () => {
    const drg = await compiled(dmn(requiringKnowledge(literal('d', 'fee(2)'), ['fee']) + bkm('fee', 'fee', ['a'], 'double(a) + 1', ['dbl']) + bkm('dbl', 'double', ['x'], 'x * 2') + bkm('unused', 'unused', [], '1')));
    expect(logicOf(drg.decisions[0]!.logic).knowledge).toEqual([
      { id: 'fee', name: 'fee', parameters: ['a'], expression: 'double(a) + 1', knowledge: [{ id: 'dbl', name: 'double', parameters: ['x'], expression: 'x * 2', knowledge: [] }] },
    ]);
  });

  it('ignores input data, knowledge sources and diagram interchange', async () => {
    const drg = await compiled(dmn(
      `${literal('d', 'x').replace('<literalExpression', '<informationRequirement id="ir"><requiredInput href="#x"/></informationRequirement><literalExpression')}` +
      '<inputData id="x" name="x"/><knowledgeSource id="ks" name="policy"/>',
    ));
    expect(drg.decisions.map((d) => d.id)).toEqual(['d']);
  });
});

/** Compiles and returns the refusals as `elementId: reason` lines. */
async function refusals(xml: string): Promise<string[]> {
  const { drg, errors } = await compileDmn('bad.dmn', xml);
  expect(drg).toBeUndefined();
  for (const error of errors) expect(error.resourceName).toBe('bad.dmn');
  return errors.map((e) => `${e.elementId}: ${e.reason}`);
}

function expectRefusal(lines: string[], elementId: string, reason: string): void {
  expect(lines.some((line) => line.startsWith(`${elementId}: `) && line.includes(reason)), `${lines.join('\n')}\n--- expected ${elementId}: …${reason}…`).toBe(true);
}

const oneRule = { inputs: ['x'], outputs: ['y'], rules: [[['1'], ['2']]] as [string[], string[]][] };

describe('compileDmn refuses, one line per problem', () => {
  it('unreadable XML, with an empty element id', async () => {
    const lines = await refusals('<definitions');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^: the resource is not readable DMN XML/);
  });

  it('a BPMN file given as DMN', async () => {
    const lines = await refusals('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="x"/>');
    expectRefusal(lines, '', 'not readable DMN XML');
  });

  it('a resource without decisions', async () => {
    expectRefusal(await refusals(dmn('<inputData id="x" name="x"/>')), 'drg', 'contains no decision');
  });

  it('a decision without id', async () => {
    expectRefusal(await refusals(dmn('<decision name="Nameless"><literalExpression><text>1</text></literalExpression></decision>')), '', "decision 'Nameless' has no id");
  });

  it('duplicate ids', async () => {
    expectRefusal(await refusals(dmn(literal('d', '1') + literal('d', '2'))), 'd', 'duplicate');
  });

  it('an unknown hit policy', async () => {
    expectRefusal(await refusals(dmn(table('d', { ...oneRule, hitPolicy: 'SOMETIMES' }))), 'd_table', "unknown hit policy 'SOMETIMES'");
  });

  it('an aggregation on a table that is not COLLECT', async () => {
    expectRefusal(await refusals(dmn(table('d', { ...oneRule, hitPolicy: 'RULE ORDER', aggregation: 'SUM' }))), 'd_table', 'only allowed with hit policy COLLECT');
  });

  it('an unknown aggregation', async () => {
    expectRefusal(await refusals(dmn(table('d', { ...oneRule, hitPolicy: 'COLLECT', aggregation: 'AVG' }))), 'd_table', "unknown aggregation 'AVG'");
  });

  it('an aggregation over more than one output', async () => {
    const xml = dmn(table('d', { hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['x'], outputs: ['a', 'b'], rules: [[['1'], ['1', '2']]] }));
    expectRefusal(await refusals(xml), 'd_table', 'needs exactly one output, found 2');
  });

  it('outputs without names in a table with several outputs', async () => {
    const xml = dmn(table('d', { inputs: ['x'], outputs: ['a', { label: 'B' }], rules: [[['1'], ['1', '2']]] }));
    expectRefusal(await refusals(xml), 'd_o2', "output 'B' has no name");
  });

  it('a rule whose entries do not fit the columns', async () => {
    const xml = dmn(table('d', { inputs: ['x', 'z'], outputs: ['y'], rules: [[['1'], ['2']]] }));
    expectRefusal(await refusals(xml), 'd_r1', 'rule has 1 input entries but the table has 2 inputs');
  });

  it('a required decision that does not exist', async () => {
    expectRefusal(await refusals(dmn(literal('d', '1', { requires: ['missing'] }))), 'd', "required decision 'missing' does not exist");
  });

  it('a required decision in another file', async () => {
    const xml = dmn(literal('d', '1').replace('<literalExpression', '<informationRequirement id="ir"><requiredDecision href="other.dmn#x"/></informationRequirement><literalExpression'));
    expectRefusal(await refusals(xml), 'd', 'refers outside this resource');
  });

  it('a cycle of required decisions, naming it', async () => {
    const lines = await refusals(dmn(literal('a', 'b', { requires: ['b'] }) + literal('b', 'c', { requires: ['c'] }) + literal('c', 'a', { requires: ['a'] })));
    expectRefusal(lines, 'a', 'cycle: a → b → c → a');
    expect(lines.filter((line) => line.includes('cycle'))).toHaveLength(1);
  });

  it.each([
    ['input expression', table('d', { inputs: ['x +'], outputs: ['y'], rules: [] }), 'd_i1', 'input expression is not a valid FEEL expression'],
    ['unary test', table('d', { inputs: ['x'], outputs: ['y'], rules: [[['[1..'], ['2']]] }), 'd_r1', 'input entry is not valid FEEL unary tests'],
    ['output entry', table('d', { inputs: ['x'], outputs: ['y'], rules: [[['1'], ['"a" +']]] }), 'd_r1', 'output entry is not a valid FEEL expression'],
    ['literal expression', literal('d', 'if x then'), 'd_expr', 'literal expression is not a valid FEEL expression'],
  ])('FEEL that does not parse: %s', async (_, decision, elementId, reason) => {
    expectRefusal(await refusals(dmn(decision)), elementId, reason);
  });

  it('unary tests joined with and / or, which FEEL does not have (feelin would read them and never match)', async () => {
    const lines = await refusals(dmn(table('d', { inputs: ['x'], outputs: ['y'], rules: [[['>= 1 and <= 3'], ['1']], [['? >= 1 and ? <= 3'], ['2']], [['< 1, > 3'], ['3']]] })));
    expect(lines).toHaveLength(1);
    expectRefusal(lines, 'd_r1', "tests cannot be joined with 'and' / 'or'");
  });

  it('an empty output entry, as Zeebe refuses an empty FEEL expression', async () => {
    expectRefusal(await refusals(dmn(table('d', { inputs: ['x'], outputs: ['y'], rules: [[['1'], ['']]] }))), 'd_r1', 'output entry is empty; write null');
  });

  it('an empty literal expression and a missing input expression', async () => {
    expectRefusal(await refusals(dmn(literal('d', ''))), 'd_expr', 'literal expression is empty');
    expectRefusal(await refusals(dmn(table('d', { inputs: [''], outputs: ['y'], rules: [] }))), 'd_i1', 'input has no input expression');
  });

  it('an expression language other than FEEL', async () => {
    const xml = dmn(literal('d', '1').replace('<literalExpression id="d_expr"', '<literalExpression id="d_expr" expressionLanguage="javascript"'));
    expectRefusal(await refusals(xml), 'd_expr', "expression language 'javascript' is not supported");
  });

  it('decision logic this engine does not run', async () => {
    expectRefusal(await refusals(dmn('<decision id="d"><context id="c"/></decision>')), 'd', 'decision logic is a boxed context');
    expectRefusal(await refusals(dmn('<decision id="d"><invocation id="i"/></decision>')), 'd', 'decision logic is a boxed invocation');
    expectRefusal(await refusals(dmn('<decision id="d"/>')), 'd', 'decision has no decision logic');
  });

  it('business knowledge models that are missing, not literal expressions, unnamed or in a cycle', async () => {
    expectRefusal(await refusals(dmn(requiringKnowledge(literal('d', 'f(1)'), ['f']))), 'd', "required business knowledge model 'f' does not exist");
    const tableBkm = '<businessKnowledgeModel id="f" name="f"><encapsulatedLogic id="fn"><decisionTable id="t"/></encapsulatedLogic></businessKnowledgeModel>';
    expectRefusal(await refusals(dmn(requiringKnowledge(literal('d', 'f(1)'), ['f']) + tableBkm)), 'f', 'must be a literal expression');
    expectRefusal(await refusals(dmn(requiringKnowledge(literal('d', 'f(1)'), ['f']) + bkm('f', 'my fee', ['x'], 'x'))), 'f', "a name that FEEL can call");
    expectRefusal(await refusals(dmn(requiringKnowledge(literal('d', 'f(1)'), ['f']) + bkm('f', 'f', ['x'], 'x +'))), 'f_body', 'business knowledge model literal expression is not a valid FEEL expression');
    const cycle = await refusals(dmn(requiringKnowledge(literal('d', 'a(1)'), ['a']) + bkm('a', 'a', ['x'], 'b(x)', ['b']) + bkm('b', 'b', ['x'], 'a(x)', ['a'])));
    expectRefusal(cycle, 'a', 'cycle: a → b → a');
  });

  it('lists every problem, not only the first', async () => {
    const lines = await refusals(dmn(table('d', { ...oneRule, hitPolicy: 'NONE' }) + literal('e', '1 +')));
    expect(lines).toHaveLength(2);
  });
});
