/**
 * Every decision fixture in test/conformance/fixtures/decisions/ (a `.dmn` with its `.expect.json`, format in
 * engine/dmn/README.md) through the official client: deployed with `POST /v2/deployments`, then each case evaluated
 * with `POST /v2/decision-definitions/evaluation`; a refused fixture's deployment is 400 naming each refusal. Adding
 * a fixture adds its cases here, as in engine/dmn/decision-fixtures.test.ts (which calls engine/dmn directly).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDecisionFixtures } from '../../../engine/dmn/testing/decision-fixtures.js';
import { key, NOW, startTestEngine, type TestEngine } from '../support/harness.js';

const fixtures = readDecisionFixtures();

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
});

afterAll(async () => {
  await t?.stop();
});

async function deploy(file: string, xml: string) {
  return t.api.createDeployment({ resources: [new File([xml], file, { type: 'application/xml' })] as never });
}

for (const { file, xml, expectation } of fixtures) {

  describe(`${file}`, () => {
    if (expectation.refused) {
      const refused = expectation.refused;
      it(`is refused at deployment, naming ${refused.length} problem(s)`, async () => {
        let failure: { status?: number; detail?: string } | undefined;
        try {
          await deploy(file, xml);
        } catch (error) {
          failure = error as typeof failure;
        }
        expect(failure?.status, `deployment of ${file} was accepted but must be refused`).toBe(400);
        for (const part of refused) expect(failure!.detail).toContain(part);
        const drgs = await t.api.searchDecisionRequirements({ filter: { resourceName: file } }, NOW);
        expect(drgs.items).toEqual([]);
      });
      return;
    }

    // Fixtures share decision ids (several `advertisement`s): each case evaluates this file's version by its key.
    let decisionDefinitionKey: string;
    beforeAll(async () => {
      const deployment = await deploy(file, xml);
      const decision = deployment.deployments.find((e) => e.decisionDefinition?.decisionDefinitionId === expectation.decisionId);
      if (!decision) throw new Error(`${file} deployed no decision '${expectation.decisionId}'`);
      decisionDefinitionKey = String(decision.decisionDefinition!.decisionDefinitionKey);
    });

    for (const c of expectation.cases ?? []) {
      it(`${c.it}`, async () => {
        const r = await t.api.evaluateDecision({ decisionDefinitionKey: key(decisionDefinitionKey), variables: c.variables });
        const called = r.evaluatedDecisions.at(-1);
        const actual = {
          decisionDefinitionId: r.decisionDefinitionId,
          output: JSON.parse(r.output) as unknown,
          failureMessage: r.failureMessage,
          calledOutput: c.failure === undefined && called ? (JSON.parse(String(called.output)) as unknown) : undefined,
          matchedRuleIds: c.matchedRuleIds && called?.matchedRules?.map((rule) => rule.ruleId),
          evaluatedDecisionIds: c.evaluatedDecisionIds && r.evaluatedDecisions.map((d) => d.decisionDefinitionId),
        };
        const failureText = expect.stringContaining(c.failure ?? '');
        const expected =
          c.failure === undefined
            ? { decisionDefinitionId: expectation.decisionId, output: c.output, failureMessage: '', calledOutput: c.output, matchedRuleIds: c.matchedRuleIds, evaluatedDecisionIds: c.evaluatedDecisionIds }
            : { decisionDefinitionId: expectation.decisionId, output: null, failureMessage: failureText, calledOutput: undefined, matchedRuleIds: actual.matchedRuleIds, evaluatedDecisionIds: actual.evaluatedDecisionIds };
        expect(actual).toEqual(expected);
      });
    }
  });
}
