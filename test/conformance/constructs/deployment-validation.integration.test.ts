/**
 * Deployments with elements outside the supported subset are refused as a whole: 400 problem+json naming each
 * offending element id, and nothing of the request is stored.
 * Zeebe refuses invalid resources the same way: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, key, startTestEngine, type TestEngine } from '../support/harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
});

afterAll(async () => {
  await t?.stop();
});

interface HttpFailure {
  status?: number;
  title?: string;
  detail?: string;
  message?: string;
}

async function refusal(...fixtures: string[]): Promise<HttpFailure> {
  try {
    await t.deploy(...fixtures);
  } catch (error) {
    return error as HttpFailure;
  }
  throw new Error(`deployment of ${fixtures.join(', ')} was accepted but must be refused`);
}

function text(failure: HttpFailure): string {
  return [failure.title, failure.detail, failure.message].filter(Boolean).join(' | ');
}

async function definitionsOf(processDefinitionId: string) {
  const result = await t.api.searchProcessDefinitions({ filter: { processDefinitionId: key(processDefinitionId) } }, NOW);
  return result.items ?? [];
}

describe('deployment validation', () => {

  it('refuses a service task without zeebe:taskDefinition, as Zeebe does', async () => {
    const failure = await refusal('invalid-no-task-definition.bpmn');
    expect(failure.status).toBe(400);
    expect(text(failure)).toContain('bare_task');
    expect(await definitionsOf('invalid-no-task-definition')).toEqual([]);
  });

  it('one invalid resource refuses the whole request: the valid companion is not stored either', async () => {
    const failure = await refusal('valid-companion.bpmn', 'invalid-complex-gateway.bpmn');
    expect(failure.status).toBe(400);
    expect(text(failure)).toContain('invalid-complex-gateway.bpmn');
    expect(await definitionsOf('valid-companion')).toEqual([]);
    const all = await t.api.searchProcessDefinitions({}, NOW);
    expect(all.items ?? []).toEqual([]);
  });

  it('after a refusal the same engine accepts a valid deployment (version 1)', async () => {
    const deployment = await t.deploy('valid-companion.bpmn');
    expect(deployment.processes.map((p) => [String(p.processDefinitionId), p.processDefinitionVersion])).toEqual([['valid-companion', 1]]);
    const stored = await definitionsOf('valid-companion');
    expect(stored).toHaveLength(1);
  });
});
