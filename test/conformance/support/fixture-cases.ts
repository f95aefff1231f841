/**
 * Conformance cases as data: `<name>.expect.json` beside `<name>.bpmn` in test/conformance/fixtures/constructs/
 * says what the engine must do with the fixture, and fixtures.integration.test.ts runs every such file through
 * the official client. A new fixture with its expect file needs no test code.
 *
 * Either the deployment is refused:
 *   { "refused": ["elementId", …] }            400 naming each id, and nothing of it stored
 * or it is deployed (with `deployWith`, other fixtures it needs) and each case starts an instance:
 *   { "cases": [{ "it": "what it proves", "start": "processId" (default: the file name), "variables": {…},
 *                 "steps": [ { "completeJob": "type", "variables": {…} }, { "publishMessage": "name",
 *                            "correlationKey": "k", "variables": {…} }, { "broadcastSignal": "name" },
 *                            { "waitForActiveElement": "id" } ],
 *                 "expect": { "state": "COMPLETED", "completed": [ids, in order], "completedIncludes": [ids],
 *                             "elementStates": { "id": "TERMINATED" | "COMPLETED" | "ACTIVE" | "ABSENT" },
 *                             "variables": {… exactly}, "variablesInclude": {…}, "incidents": [errorType, …] } }] }
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FIXTURES_DIR, NOW, key, type TestEngine } from './harness.js';

type Vars = Record<string, unknown>;

export type FixtureStep =
  | { completeJob: string; variables?: Vars }
  | { publishMessage: string; correlationKey?: string; variables?: Vars; timeToLive?: number }
  | { broadcastSignal: string; variables?: Vars }
  | { waitForActiveElement: string };

export interface FixtureOutcome {
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  /** Completed element ids in completion order (assert exact order only along one sequential path). */
  completed?: string[];
  /** Completed element ids, in any order, among others. */
  completedIncludes?: string[];
  /** State of single element instances; ABSENT: never activated. */
  elementStates?: Record<string, 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | 'ABSENT'>;
  /** The root scope's variables, exactly. */
  variables?: Vars;
  /** Some of the root scope's variables. */
  variablesInclude?: Vars;
  /** Error types of the instance's incidents (`[]`: none). */
  incidents?: string[];
}

export interface FixtureCase {
  it: string;
  start?: string;
  variables?: Vars;
  steps?: FixtureStep[];
  expect: FixtureOutcome;
}

export interface FixtureExpectation {
  /** Other fixtures deployed before this one (called processes, forms). */
  deployWith?: string[];
  /** The deployment must be refused, naming each of these element ids. */
  refused?: string[];
  cases?: FixtureCase[];
}

export interface FixtureFile {
  /** `x.bpmn` */
  fixture: string;
  expectation: FixtureExpectation;
}

const CONSTRUCTS_DIR = join(FIXTURES_DIR, 'constructs');
const SUFFIX = '.expect.json';

/** Every `<name>.expect.json` in fixtures/constructs/, with its fixture, sorted by name. */
export async function discoverFixtureCases(): Promise<FixtureFile[]> {
  const names = (await readdir(CONSTRUCTS_DIR)).filter((name) => name.endsWith(SUFFIX)).sort();
  const all = new Set(await readdir(CONSTRUCTS_DIR));
  return Promise.all(
    names.map(async (name) => {
      const fixture = `${name.slice(0, -SUFFIX.length)}.bpmn`;
      if (!all.has(fixture)) throw new Error(`${name} has no fixture ${fixture} beside it in ${CONSTRUCTS_DIR}`);
      const expectation = JSON.parse(await readFile(join(CONSTRUCTS_DIR, name), 'utf8')) as FixtureExpectation;
      const hasCases = (expectation.cases?.length ?? 0) > 0;
      if (hasCases === Boolean(expectation.refused)) {
        throw new Error(`${name} needs either "refused" (element ids) or "cases" (at least one), not both or neither`);
      }
      return { fixture, expectation };
    }),
  );
}

/** The deployment of `fixture` is refused with 400 naming each id, and none of its processes is stored. */
export async function expectRefused(t: TestEngine, fixture: string, ids: string[]): Promise<void> {
  let failure: { status?: number; title?: string; detail?: string; message?: string } | undefined;
  try {
    await t.deploy(fixture);
  } catch (error) {
    failure = error as typeof failure;
  }
  expect(failure, `deployment of ${fixture} was accepted but must be refused`).toBeDefined();
  expect(failure!.status).toBe(400);
  const text = [failure!.title, failure!.detail, failure!.message].filter(Boolean).join(' | ');
  for (const id of ids) expect(text, `the refusal must name ${id}`).toContain(id);
  const processId = fixture.replace(/\.bpmn$/, '');
  const stored = await t.api.searchProcessDefinitions({ filter: { processDefinitionId: key(processId) } }, NOW);
  expect(stored.items ?? []).toEqual([]);
}

/** Starts an instance, runs the steps, waits for the expected state and checks the outcome. */
export async function expectCase(t: TestEngine, fixture: string, c: FixtureCase): Promise<void> {
  const instance = await t.createInstance(c.start ?? fixture.replace(/\.bpmn$/, ''), c.variables ?? {});
  for (const step of c.steps ?? []) await runStep(t, instance, step);
  const outcome = c.expect;
  await t.waitForInstanceState(instance, outcome.state);
  if (outcome.completed) expect(await t.completedElementIds(instance)).toEqual(outcome.completed);
  if (outcome.completedIncludes) expect(await t.completedElementIds(instance)).toEqual(expect.arrayContaining(outcome.completedIncludes));
  if (outcome.elementStates) {
    const elements = await t.elementInstances(instance);
    const states = Object.fromEntries(
      Object.keys(outcome.elementStates).map((id) => [id, elements.find((e) => e.elementId === id)?.state ?? 'ABSENT']),
    );
    expect(states).toEqual(outcome.elementStates);
  }
  if (outcome.variables) expect(await t.variables(instance)).toEqual(outcome.variables);
  if (outcome.variablesInclude) expect(await t.variables(instance)).toMatchObject(outcome.variablesInclude);
  if (outcome.incidents) expect((await t.incidents(instance)).map((i) => String(i.errorType))).toEqual(outcome.incidents);
}

async function runStep(t: TestEngine, instance: string, step: FixtureStep): Promise<void> {
  if ('completeJob' in step) {
    const job = await t.waitForJob(step.completeJob);
    await job.complete(step.variables ?? {});
  } else if ('publishMessage' in step) {
    await t.publishMessage(step.publishMessage, step.correlationKey ?? '', step.variables ?? {}, step.timeToLive ?? 0);
  } else if ('broadcastSignal' in step) {
    await t.broadcastSignal(step.broadcastSignal, step.variables ?? {});
  } else if ('waitForActiveElement' in step) {
    await t.waitForActiveElement(instance, step.waitForActiveElement);
  } else {
    throw new Error(`unknown step ${JSON.stringify(step)}; see test/conformance/support/fixture-cases.ts for the steps`);
  }
}
