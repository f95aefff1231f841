/**
 * Decisions (DMN) through the official client: deployment (versioned as Zeebe versions it, listed in the
 * deployment result as the SDK's `deployResourcesFromFiles` reads it), `POST /decision-definitions/evaluation`,
 * decision definition / requirements / instance search, get and XML, and business rule tasks that call a
 * decision, with their incidents. The per-hit-policy cases are data: decisions.fixtures.integration.test.ts.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, key, NOW, startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

const DMN = 'constructs/brt-discount.dmn';

/** A DMN resource with one literal-expression decision `id` (version tag `tag`) in DRG `drgId`. */
function literalDmn(drgId: string, id: string, expression: string, tag?: string): string {
  const versionTag = tag ? `<extensionElements><zeebe:versionTag value="${tag}" /></extensionElements>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${drgId}" name="${drgId}" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="${id}" name="${id}">${versionTag}<literalExpression id="${id}_expr"><text>${expression}</text></literalExpression></decision>
</definitions>`;
}

/** A process `id` whose business rule task calls `decisionId` into `result` with the given binding attributes. */
function brtProcess(id: string, decisionId: string, binding = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="result" ${binding} /></bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="rule" />
    <bpmn:sequenceFlow id="f2" sourceRef="rule" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

async function deployText(...resources: Array<[name: string, text: string]>) {
  return t.api.createDeployment({ resources: resources.map(([name, text]) => new File([text], name, { type: 'application/xml' })) as never });
}

async function failureOf(call: () => Promise<unknown>): Promise<{ status?: number; detail?: string }> {
  try {
    await call();
  } catch (error) {
    return error as { status?: number; detail?: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  t = await startTestEngine();
});

afterAll(async () => {
  await t?.stop();
});

describe('deploying DMN', () => {
  it('lists each decision and the decision requirements in the deployment result, as the SDK reads them', async () => {
    const rest = new Camunda8({ ...t.clientSettings, CAMUNDA_LOG_LEVEL: 'none' } as never).getCamundaRestClient();
    const file = join(await mkdtemp(join(tmpdir(), 'decisions-')), 'sdk.dmn');
    await writeFile(file, literalDmn('sdk_drg', 'sdk_first', '1').replace('</definitions>', '<decision id="sdk_second" name="Second"><literalExpression id="e2"><text>2</text></literalExpression></decision></definitions>'));
    const first = await rest.deployResourcesFromFiles([file]);
    expect(first.decisions.map((d) => [d.decisionDefinitionId, d.version])).toEqual([['sdk_first', 1], ['sdk_second', 1]]);
    expect(first.decisionRequirements.map((r) => [r.decisionRequirementsId, r.version, r.decisionRequirementsName])).toEqual([['sdk_drg', 1, 'sdk_drg']]);
    expect(first.decisions[0]!.decisionRequirementsKey).toBe(first.decisionRequirements[0]!.decisionRequirementsKey);

    const again = await rest.deployResourcesFromFiles([file]);
    expect(again.decisions.map((d) => d.decisionDefinitionKey)).toEqual(first.decisions.map((d) => d.decisionDefinitionKey));
    expect(again.decisionRequirements[0]!.decisionRequirementsKey).toBe(first.decisionRequirements[0]!.decisionRequirementsKey);
    // The same client's evaluateDecision (it adds the default tenant id to the body).
    const evaluated = await rest.evaluateDecision({ decisionDefinitionKey: first.decisions[1]!.decisionDefinitionKey, variables: {} });
    expect([evaluated.decisionDefinitionId, evaluated.output]).toEqual(['sdk_second', '2']);
  });

  it('a changed resource gets the next version of its DRG and of each decision', async () => {
    const v1 = await deployText(['versioned.dmn', literalDmn('versioned_drg', 'versioned', '1')]);
    const v2 = await deployText(['versioned.dmn', literalDmn('versioned_drg', 'versioned', '2')]);
    const version = (d: typeof v1) => d.deployments.map((e) => e.decisionDefinition?.version ?? e.decisionRequirements?.version);
    expect(version(v1)).toEqual([1, 1]);
    expect(version(v2)).toEqual([2, 2]);
    const evaluated = await t.api.evaluateDecision({ decisionDefinitionId: key('versioned'), variables: {} });
    expect(evaluated.output).toBe('2');
    expect(evaluated.decisionDefinitionVersion).toBe(2);
  });

  it('a decision id deployed in another DRG gets the next version of that id; duplicate ids in one deployment are refused', async () => {
    const moved = await deployText(['moved.dmn', literalDmn('other_drg', 'versioned', '3')]);
    expect(moved.deployments.map((e) => e.decisionDefinition?.version ?? e.decisionRequirements?.version)).toEqual([3, 1]);
    expect((await t.api.evaluateDecision({ decisionDefinitionId: key('versioned') })).output).toBe('3');
    const twice = await failureOf(() => deployText(['a.dmn', literalDmn('drg_a', 'twice', '1')], ['b.dmn', literalDmn('drg_b', 'twice', '2')]));
    expect(twice.status).toBe(400);
    expect(twice.detail).toContain("Expected the decision ids to be unique within a deployment but found a duplicated id 'twice' in the resources 'a.dmn' and 'b.dmn'.");
    const broken = await failureOf(() => deployText(['broken.dmn', '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="broken"><decision id="x"></decision></definitions>']));
    expect(broken.status).toBe(400);
    expect(broken.detail).toContain('broken.dmn');
    for (const id of ['drg_a', 'drg_b', 'broken']) {
      expect((await t.api.searchDecisionRequirements({ filter: { decisionRequirementsId: id } }, NOW)).items).toEqual([]);
    }
  });
});

describe('deleting decision requirements (POST /resources/{key}/deletion)', () => {
  it('deletes the DRG with its decisions: gone from searches and gets, the previous version latest again, versions never given twice', async () => {
    await deployText(['deleted.dmn', literalDmn('deleted_drg', 'deleted_decision', '"one"')]);
    const v2 = await deployText(['deleted.dmn', literalDmn('deleted_drg', 'deleted_decision', '"two"')]);
    const drgKey = String(v2.deployments.find((e) => e.decisionRequirements)!.decisionRequirements!.decisionRequirementsKey);
    const decisionKey = String(v2.deployments.find((e) => e.decisionDefinition)!.decisionDefinition!.decisionDefinitionKey);
    await t.client.deleteResource({ resourceKey: key(drgKey) });
    expect((await failureOf(() => t.api.getDecisionRequirements({ decisionRequirementsKey: key(drgKey) }, NOW))).status).toBe(404);
    expect((await failureOf(() => t.api.getDecisionDefinition({ decisionDefinitionKey: key(decisionKey) }, NOW))).status).toBe(404);
    expect((await failureOf(() => t.api.evaluateDecision({ decisionDefinitionKey: key(decisionKey) }))).status).toBe(404);
    const left = await t.api.searchDecisionDefinitions({ filter: { decisionDefinitionId: key('deleted_decision') } }, NOW);
    expect(left.items!.map((d) => d.version)).toEqual([1]);
    expect((await t.api.evaluateDecision({ decisionDefinitionId: key('deleted_decision') })).output).toBe('"one"');
    const v3 = await deployText(['deleted.dmn', literalDmn('deleted_drg', 'deleted_decision', '"three"')]);
    expect(v3.deployments.map((e) => e.decisionDefinition?.version ?? e.decisionRequirements?.version)).toEqual([3, 3]);
    expect((await failureOf(() => t.client.deleteResource({ resourceKey: key(drgKey) }))).status).toBe(404);
  });
});

describe('POST /decision-definitions/evaluation', () => {
  beforeAll(async () => {
    await t.deploy(DMN);
  });

  it('evaluates by id (latest version) with outputs, matched rules and inputs as JSON text', async () => {
    const r = await t.api.evaluateDecision({ decisionDefinitionId: key('brt_discount'), variables: { customerType: 'business' } });
    expect(r).toMatchObject({
      decisionDefinitionId: 'brt_discount',
      decisionDefinitionName: 'Discount',
      decisionDefinitionVersion: 1,
      decisionRequirementsId: 'brt_discounts',
      output: '0.1',
      failedDecisionDefinitionId: '',
      failureMessage: '',
      tenantId: '<default>',
    });
    expect(r.evaluatedDecisions).toHaveLength(1);
    const [evaluated] = r.evaluatedDecisions;
    expect(evaluated).toMatchObject({ decisionDefinitionId: 'brt_discount', decisionDefinitionType: 'DECISION_TABLE', output: '0.1' });
    expect(evaluated!.decisionEvaluationInstanceKey).toBe(`${String(r.decisionEvaluationKey)}-1`);
    expect(evaluated!.evaluatedInputs).toEqual([{ inputId: 'brt_discount_in', inputName: 'Customer type', inputValue: '"business"' }]);
    expect(evaluated!.matchedRules).toEqual([
      { ruleId: 'brt_discount_business', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'brt_discount_out', outputName: 'discount', outputValue: '0.1' }] },
    ]);
  });

  it('evaluates by key', async () => {
    const found = await t.api.searchDecisionDefinitions({ filter: { decisionDefinitionId: key('brt_discount') } }, NOW);
    const decisionDefinitionKey = found.items![0]!.decisionDefinitionKey!;
    const r = await t.api.evaluateDecision({ decisionDefinitionKey: key(String(decisionDefinitionKey)), variables: { customerType: 'private' } });
    expect(r.output).toBe('0.05');
    expect(String(r.decisionDefinitionKey)).toBe(String(decisionDefinitionKey));
  });

  it('answers a failed evaluation with the failing decision and why, and records it as a FAILED decision instance', async () => {
    const r = await t.api.evaluateDecision({ decisionDefinitionId: key('brt_fails'), variables: { customerType: 'x' } });
    expect(r.failedDecisionDefinitionId).toBe('brt_fails');
    expect(r.failureMessage).not.toBe('');
    expect(r.output).toBe('null');
    const instances = await t.api.searchDecisionInstances({ filter: { decisionEvaluationKey: key(String(r.decisionEvaluationKey)) } }, NOW);
    expect(instances.items!.map((i) => [i.decisionDefinitionId, i.state])).toEqual([['brt_fails', 'FAILED']]);
    expect(instances.items![0]!.evaluationFailure).toBe(r.failureMessage);
  });

  it('an unknown decision is 404, both or neither of key and id is 400', async () => {
    expect((await failureOf(() => t.api.evaluateDecision({ decisionDefinitionId: key('no_such_decision') }))).status).toBe(404);
    expect((await failureOf(() => t.api.evaluateDecision({ decisionDefinitionKey: key('12345') }))).status).toBe(404);
    const both = await failureOf(() => t.api.evaluateDecision({ decisionDefinitionId: key('brt_discount'), decisionDefinitionKey: key('1') } as never));
    expect(both.status).toBe(400);
    expect((await failureOf(() => t.api.evaluateDecision({ variables: {} } as never))).status).toBe(400);
  });
});

describe('searches, gets and XML', () => {
  beforeAll(async () => {
    await t.deploy(DMN);
  });

  it('decision definitions: search with filters and sort, get, XML of its DRG', async () => {
    const found = await t.api.searchDecisionDefinitions(
      { filter: { decisionRequirementsId: 'brt_discounts' }, sort: [{ field: 'decisionDefinitionId', order: 'DESC' }] },
      NOW,
    );
    expect(found.items!.map((d) => d.decisionDefinitionId)).toEqual(['brt_fails', 'brt_discount']);
    expect(found.page.totalItems).toBe(2);
    const got = await t.api.getDecisionDefinition({ decisionDefinitionKey: key(String(found.items![1]!.decisionDefinitionKey)) }, NOW);
    expect(got).toMatchObject({ decisionDefinitionId: 'brt_discount', name: 'Discount', version: 1, decisionRequirementsId: 'brt_discounts', tenantId: '<default>' });
    const xml = await t.api.getDecisionDefinitionXml({ decisionDefinitionKey: key(String(found.items![1]!.decisionDefinitionKey)) }, NOW);
    expect(String(xml)).toBe(await readFile(fixturePath(DMN), 'utf8'));
  });

  it('decision requirements: search, get, XML', async () => {
    const found = await t.api.searchDecisionRequirements({ filter: { decisionRequirementsId: 'brt_discounts' } }, NOW);
    expect(found.items).toHaveLength(1);
    const drg = found.items![0]!;
    expect(drg).toMatchObject({ decisionRequirementsName: 'Discounts', version: 1, resourceName: 'brt-discount.dmn', tenantId: '<default>' });
    expect(await t.api.getDecisionRequirements({ decisionRequirementsKey: key(String(drg.decisionRequirementsKey)) }, NOW)).toMatchObject(drg);
    const xml = await t.api.getDecisionRequirementsXml({ decisionRequirementsKey: key(String(drg.decisionRequirementsKey)) }, NOW);
    expect(String(xml)).toBe(await readFile(fixturePath(DMN), 'utf8'));
  });

  it('decision instances: search by decision and get one with its inputs and matched rules', async () => {
    const r = await t.api.evaluateDecision({ decisionDefinitionId: key('brt_discount'), variables: { customerType: 'business' } });
    const found = await t.api.searchDecisionInstances({ filter: { decisionEvaluationKey: key(String(r.decisionEvaluationKey)), state: 'EVALUATED' } }, NOW);
    expect(found.items).toHaveLength(1);
    const item = found.items![0]!;
    expect(item).toMatchObject({ decisionDefinitionId: 'brt_discount', decisionDefinitionType: 'DECISION_TABLE', result: '0.1', state: 'EVALUATED' });
    const got = await t.api.getDecisionInstance({ decisionEvaluationInstanceKey: key(String(item.decisionEvaluationInstanceKey)) }, NOW);
    expect(got.matchedRules![0]!.ruleId).toBe('brt_discount_business');
    expect(got.evaluatedInputs![0]!.inputValue).toBe('"business"');
  });

  it('unknown keys are 404, malformed ones and unknown filters 400', async () => {
    expect((await failureOf(() => t.api.getDecisionDefinition({ decisionDefinitionKey: key('999') }, NOW))).status).toBe(404);
    expect((await failureOf(() => t.api.getDecisionRequirements({ decisionRequirementsKey: key('999') }, NOW))).status).toBe(404);
    expect((await failureOf(() => t.api.getDecisionInstance({ decisionEvaluationInstanceKey: key('999-1') }, NOW))).status).toBe(404);
    expect((await failureOf(() => t.api.getDecisionDefinition({ decisionDefinitionKey: key('abc') }, NOW))).status).toBe(400);
    expect((await failureOf(() => t.api.searchDecisionInstances({ filter: { noSuchField: 1 } } as never, NOW))).status).toBe(400);
  });
});

describe('business rule tasks calling a decision', () => {
  it('set the result variable, complete, and record the decision instance on the process instance', async () => {
    await t.deploy(DMN, 'brt-called-decision.bpmn');
    const pik = await t.createInstance('brt-called-decision', { customerType: 'business' });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect(await t.variables(pik)).toEqual({ customerType: 'business', discount: 0.1 });
    const instances = await t.api.searchDecisionInstances({ filter: { processInstanceKey: key(pik) } }, NOW);
    expect(instances.items!.map((i) => [i.decisionDefinitionId, i.result, i.state])).toEqual([['brt_discount', '0.1', 'EVALUATED']]);
    const rule = (await t.elementInstances(pik)).find((e) => e.elementId === 'rule')!;
    expect(String(instances.items![0]!.elementInstanceKey)).toBe(rule.elementInstanceKey);
  });

  it('a missing decision is an incident; deploying it and resolving the incident evaluates again and completes', async () => {
    await deployText(['late-process.bpmn', brtProcess('late-process', 'late_decision')]);
    const pik = await t.createInstance('late-process', {});
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('CALLED_DECISION_ERROR');
    expect(incident.errorMessage).toContain("no decision found for id 'late_decision'");
    await deployText(['late.dmn', literalDmn('late_drg', 'late_decision', '"on time"')]);
    await t.api.resolveIncident({ incidentKey: key(String(incident.incidentKey)) });
    await t.waitForInstanceState(pik, 'COMPLETED');
    expect((await t.variables(pik)).result).toBe('on time');
  });

  it('a failing evaluation is a DECISION_EVALUATION_ERROR incident naming the failing decision', async () => {
    await t.deploy(DMN, 'brt-failing-decision.bpmn');
    const pik = await t.createInstance('brt-failing-decision', { customerType: 'x' });
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('DECISION_EVALUATION_ERROR');
    expect(incident.errorMessage).toContain("failed to evaluate decision 'brt_fails'");
  });

  it("binding 'versionTag' evaluates the version with that tag, binding 'deployment' the one deployed with the process", async () => {
    await deployText(['tagged.dmn', literalDmn('tagged_drg', 'tagged', '"first"', 'v1')]);
    await deployText(
      ['tagged-process.bpmn', brtProcess('tagged-process', 'tagged', 'bindingType="versionTag" versionTag="v1"')],
      ['bound-process.bpmn', brtProcess('bound-process', 'tagged', 'bindingType="deployment"')],
      ['tagged.dmn', literalDmn('tagged_drg', 'tagged', '"second"', 'v2')],
    );
    await deployText(['tagged.dmn', literalDmn('tagged_drg', 'tagged', '"third"', 'v3')]);
    const byTag = await t.createInstance('tagged-process', {});
    const byDeployment = await t.createInstance('bound-process', {});
    await t.waitForInstanceState(byTag, 'COMPLETED');
    await t.waitForInstanceState(byDeployment, 'COMPLETED');
    expect((await t.variables(byTag)).result).toBe('first');
    expect((await t.variables(byDeployment)).result).toBe('second');
    const latest = await t.api.evaluateDecision({ decisionDefinitionId: key('tagged') });
    expect(latest.output).toBe('"third"');
  });

  it("binding 'deployment' without the decision in the process's deployment is a CALLED_DECISION_ERROR incident", async () => {
    await deployText(['unbound-process.bpmn', brtProcess('unbound-process', 'tagged', 'bindingType="deployment"')]);
    const pik = await t.createInstance('unbound-process', {});
    const incident = await t.waitForIncident(pik);
    expect(incident.errorType).toBe('CALLED_DECISION_ERROR');
    expect(incident.errorMessage).toContain("binding type 'deployment'");
  });
});
