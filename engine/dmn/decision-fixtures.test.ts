import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import { evaluateDecision } from './evaluate-decision.js';
import { DECISION_FIXTURES_DIR, readDecisionFixtures } from './testing/decision-fixtures.js';

/**
 * Runs every conformance fixture in test/conformance/fixtures/decisions (format: engine/dmn/README.md): a `.dmn` and
 * its `.expect.json`. Adding a fixture adds its cases here; a wrong expectation fails.
 */
const all = readDecisionFixtures();
const fixtures = all.map((f) => f.file);

describe('decision conformance fixtures', () => {
  it('has an expect file for every fixture and a fixture for every expect file', () => {
    const expects = readdirSync(DECISION_FIXTURES_DIR).filter((file) => file.endsWith('.expect.json')).sort();
    expect(expects).toEqual(fixtures.map((file) => file.replace(/\.dmn$/, '.expect.json')));
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const { file, xml, expectation } of all) {

    describe(`${file}`, () => {
      it('states its source', () => {
        expect(expectation.source).toMatch(/\S{10,}/);
      });

      if (expectation.refused) {
        const expected = expectation.refused;
        it(`is refused with ${expected.length} line(s)`, async () => {
          const { drg, errors } = await compileDmn(file, xml);
          const lines = errors.map((error) => `${error.elementId}: ${error.reason}`);
          expect(drg).toBeUndefined();
          expect(lines, lines.join('\n')).toHaveLength(expected.length);
          for (const part of expected) expect(lines.some((line) => line.includes(part)), `${lines.join('\n')}\n--- expected a line with: ${part}`).toBe(true);
        });
        return;
      }

      for (const testCase of expectation.cases ?? []) {
        it(`${testCase.it}`, async () => {
          const { drg, errors } = await compileDmn(file, xml);
          expect(errors).toEqual([]);
          const evaluation = evaluateDecision(drg!, expectation.decisionId!, testCase.variables);
          const called = evaluation.evaluatedDecisions.at(-1);
          const actual = {
            output: evaluation.output,
            failure: evaluation.failure?.message,
            matchedRuleIds: testCase.matchedRuleIds && called?.matchedRules.map((rule) => rule.ruleId),
            evaluatedDecisionIds: testCase.evaluatedDecisionIds && evaluation.evaluatedDecisions.map((d) => d.decisionId),
          };
          const failureText = expect.stringContaining(testCase.failure ?? '');
          const expected = testCase.failure === undefined
            ? { output: testCase.output, failure: undefined, matchedRuleIds: testCase.matchedRuleIds, evaluatedDecisionIds: testCase.evaluatedDecisionIds }
            : { output: null, failure: failureText };
          expect(actual).toEqual(expected);
        });
      }
    });
  }
});
