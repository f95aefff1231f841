import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionDefinitionRecord, DecisionInstanceRecord, DecisionRequirementsRecord } from '../../runtime/records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const now = { consistency: { waitUpToMs: 0 } };
const dmnXml = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="reviews_drg" />';

const drg = (over: Partial<DecisionRequirementsRecord> = {}): DecisionRequirementsRecord => ({
  kind: 'decisionRequirements', decisionRequirementsKey: '2251799813685400', decisionRequirementsId: 'reviews_drg', decisionRequirementsName: 'Reviews',
  version: 1, resourceName: 'reviews.dmn', tenantId: '<default>', deploymentKey: '2251799813685399', checksum: 'c', xml: dmnXml, ...over,
});

const decision = (over: Partial<DecisionDefinitionRecord> = {}): DecisionDefinitionRecord => ({
  kind: 'decisionDefinition', decisionDefinitionKey: '2251799813685401', decisionDefinitionId: 'reviews', name: 'Reviews needed', version: 1,
  decisionRequirementsId: 'reviews_drg', decisionRequirementsKey: '2251799813685400', tenantId: '<default>', deploymentKey: '2251799813685399',
  decisionDefinitionType: 'DECISION_TABLE', deploymentKeys: ['2251799813685399'], ...over,
});

const instance = (over: Partial<DecisionInstanceRecord> = {}): DecisionInstanceRecord => ({
  kind: 'decisionInstance', instanceKey: '2251799813685411', decisionEvaluationInstanceKey: '2251799813685410-1', decisionEvaluationKey: '2251799813685410',
  state: 'EVALUATED', evaluationDate: '2026-12-06T10:00:00.000Z', decisionDefinitionId: 'reviews', decisionDefinitionName: 'Reviews needed',
  decisionDefinitionVersion: 1, decisionDefinitionType: 'DECISION_TABLE', decisionDefinitionKey: '2251799813685401', decisionRequirementsKey: '2251799813685400',
  result: '2', tenantId: '<default>', evaluatedInputs: [{ inputId: 'i1', inputName: 'rows', inputValue: '4' }],
  matchedRules: [{ ruleId: 'r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'o1', outputName: 'count', outputValue: '2' }] }], ...over,
});

describe('decision definitions and requirements (responses validated fanatically by the official client)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(drg(), decision(), decision({ decisionDefinitionKey: '2251799813685402', decisionDefinitionId: 'escalate', name: 'Escalate', decisionDefinitionType: 'LITERAL_EXPRESSION' }));
  });
  afterAll(() => server.close());

  it('searches and gets decision definitions without internal fields, and the XML of their DRG', async () => {
    const found = await server.client.searchDecisionDefinitions({ filter: { decisionRequirementsId: 'reviews_drg' }, sort: [{ field: 'decisionDefinitionId', order: 'ASC' }] }, now);
    expect(found.items?.map((d) => d.decisionDefinitionId)).toEqual(['escalate', 'reviews']);
    expect(found.items?.[1]).toEqual({
      decisionDefinitionId: 'reviews', name: 'Reviews needed', version: 1, decisionRequirementsId: 'reviews_drg', tenantId: '<default>',
      decisionDefinitionKey: '2251799813685401', decisionRequirementsKey: '2251799813685400',
    });
    expect(await server.client.getDecisionDefinition({ decisionDefinitionKey: '2251799813685401' as never }, now)).toMatchObject({ name: 'Reviews needed' });
    const xml = await server.fetchRaw('/v2/decision-definitions/2251799813685401/xml');
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await xml.text()).toBe(dmnXml);
  });

  it('searches and gets decision requirements and their XML', async () => {
    const found = await server.client.searchDecisionRequirements({ filter: { resourceName: 'reviews.dmn' } }, now);
    expect(found.items).toEqual([
      { decisionRequirementsName: 'Reviews', version: 1, decisionRequirementsId: 'reviews_drg', resourceName: 'reviews.dmn', tenantId: '<default>', decisionRequirementsKey: '2251799813685400' },
    ]);
    expect(await server.client.getDecisionRequirementsXml({ decisionRequirementsKey: '2251799813685400' as never }, now)).toBe(dmnXml);
  });

  it('refuses bad input with 400 and unknown keys with 404, as problem+json', async () => {
    expect(await sdkError(() => server.client.getDecisionDefinition({ decisionDefinitionKey: '3' as never }, now))).toMatchObject({ status: 404 });
    expect((await sdkError(() => server.client.searchDecisionDefinitions({ filter: { decisionId: 'x' } } as never, now))).detail).toMatch(/'decisionId'/);
    expect((await sdkError(() => server.client.searchDecisionRequirements({ sort: [{ field: 'resourceName' }] } as never, now))).detail).toMatch(/sort field 'resourceName'/);
    const both = await server.fetchRaw('/v2/decision-definitions/evaluation', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decisionDefinitionId: 'reviews', decisionDefinitionKey: '1' }),
    });
    expect(both.status).toBe(400);
    expect(both.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await both.json()) as { detail: string }).detail).toMatch(/exactly one of decisionDefinitionKey and decisionDefinitionId/);
    const unknownField = await server.fetchRaw('/v2/decision-definitions/evaluation', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decisionDefinitionId: 'reviews', version: 1 }),
    });
    expect(unknownField.status).toBe(400);
  });
});

describe('decision instances', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Zeebe names decision instances `<evaluation key>-<n>`, which the client's own LongKey pattern does not
    // allow: validating responses would refuse what Camunda 8.8 itself answers.
    server = await startTestServer(undefined, 'req:none,res:none');
    server.api.seed(instance(), instance({ instanceKey: '2251799813685412', decisionEvaluationInstanceKey: '2251799813685410-2', state: 'FAILED', evaluationFailure: 'no rule', result: 'null' }));
  });
  afterAll(() => server.close());

  it('searches without inputs and rules, gets one with them', async () => {
    const found = await server.client.searchDecisionInstances({ filter: { state: 'failed' as never }, sort: [{ field: 'decisionEvaluationInstanceKey', order: 'desc' as never }] }, now);
    expect(found.items).toHaveLength(1);
    expect(found.items?.[0]).toEqual({
      decisionEvaluationInstanceKey: '2251799813685410-2', state: 'FAILED', evaluationFailure: 'no rule', evaluationDate: '2026-12-06T10:00:00.000Z',
      decisionDefinitionId: 'reviews', decisionDefinitionName: 'Reviews needed', decisionDefinitionVersion: 1, decisionDefinitionType: 'DECISION_TABLE',
      result: 'null', tenantId: '<default>', decisionEvaluationKey: '2251799813685410', decisionDefinitionKey: '2251799813685401',
    });
    const got = await server.client.getDecisionInstance({ decisionEvaluationInstanceKey: '2251799813685410-1' as never }, now);
    expect(got).toMatchObject({ result: '2', evaluatedInputs: [{ inputId: 'i1', inputName: 'rows', inputValue: '4' }], matchedRules: [{ ruleId: 'r1', ruleIndex: 1 }] });
    expect((await server.fetchRaw('/v2/decision-instances/2251799813685410-9')).status).toBe(404);
    expect((await server.fetchRaw('/v2/decision-instances/not-a-key')).status).toBe(400);
  });
});
