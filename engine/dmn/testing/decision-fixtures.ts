/**
 * The decision conformance fixtures in test/conformance/fixtures/decisions/: each `.dmn` with its `.expect.json`
 * (format: engine/dmn/README.md). Read by engine/dmn/decision-fixtures.test.ts (engine/dmn directly) and
 * test/conformance/api/decision-fixtures.integration.test.ts (the official client over /v2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DECISION_FIXTURES_DIR = fileURLToPath(new URL('../../../test/conformance/fixtures/decisions/', import.meta.url));

export interface DecisionFixtureCase {
  it: string;
  variables: Record<string, unknown>;
  output?: unknown;
  failure?: string;
  matchedRuleIds?: string[];
  evaluatedDecisionIds?: string[];
}

export interface DecisionFixtureExpectation {
  source: string;
  decisionId?: string;
  cases?: DecisionFixtureCase[];
  refused?: string[];
}

export interface DecisionFixture {
  /** The `.dmn` file name. */
  file: string;
  xml: string;
  expectation: DecisionFixtureExpectation;
}

/** The `.dmn` file names of the folder, sorted. */
export function decisionFixtureFiles(): string[] {
  return readdirSync(DECISION_FIXTURES_DIR).filter((file) => file.endsWith('.dmn')).sort();
}

/** Every fixture with its expectation (a missing expect file throws, naming it). */
export function readDecisionFixtures(): DecisionFixture[] {
  return decisionFixtureFiles().map((file) => ({
    file,
    xml: readFileSync(DECISION_FIXTURES_DIR + file, 'utf8'),
    expectation: JSON.parse(readFileSync(DECISION_FIXTURES_DIR + file.replace(/\.dmn$/, '.expect.json'), 'utf8')) as DecisionFixtureExpectation,
  }));
}
