import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstance } from '../testing/sample-records.js';
import { startTestServer, type TestServer } from '../testing/start-test-server.js';

const PI = '2251799813685260';

describe('process instance migration and modification routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(processInstance({ processInstanceKey: PI }));
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown) =>
    server.fetchRaw(`/v2/process-instances/${PI}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('hands a migration plan to the engine and answers 204', async () => {
    await server.client.migrateProcessInstance({
      processInstanceKey: PI as never,
      targetProcessDefinitionKey: '2251799813685300' as never,
      mappingInstructions: [{ sourceElementId: 'review' as never, targetElementId: 'review-v2' as never }],
      operationReference: 7 as never,
    });
    expect(server.api.callsOf('migrateProcessInstance').at(-1)).toEqual([
      PI,
      { targetProcessDefinitionKey: '2251799813685300', mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review-v2' }] },
    ]);
  });

  it('hands modification instructions to the engine with defaults filled in, -1 and numeric ancestors as strings', async () => {
    await server.client.modifyProcessInstance({
      processInstanceKey: PI as never,
      activateInstructions: [
        { elementId: 'approve' as never, variableInstructions: [{ variables: { a: 1 }, scopeId: 'approve' }] },
        { elementId: 'archive' as never, ancestorElementInstanceKey: '-1' },
      ],
      terminateInstructions: [{ elementInstanceKey: '2251799813685270' as never }],
    });
    expect(server.api.callsOf('modifyProcessInstance').at(-1)).toEqual([
      PI,
      {
        activateInstructions: [
          { elementId: 'approve', variableInstructions: [{ variables: { a: 1 }, scopeId: 'approve' }] },
          { elementId: 'archive', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
        terminateInstructions: [{ elementInstanceKey: '2251799813685270' }],
      },
    ]);
    const numeric = await post('modification', { activateInstructions: [{ elementId: 'x', ancestorElementInstanceKey: 2251799813685271 }] });
    expect(numeric.status).toBe(204);
    expect(server.api.callsOf('modifyProcessInstance').at(-1)?.[1]).toEqual({
      activateInstructions: [{ elementId: 'x', ancestorElementInstanceKey: '2251799813685271', variableInstructions: [] }],
      terminateInstructions: [],
    });
  });

  it('refuses malformed bodies with 400 problem+json before the engine sees them', async () => {
    const before = server.api.calls.length;
    for (const [path, body] of [
      ['migration', { mappingInstructions: [] }],
      ['migration', { targetProcessDefinitionKey: '1', mappingInstructions: [{ sourceElementId: 'a' }] }],
      ['migration', { targetProcessDefinitionKey: 'abc', mappingInstructions: [] }],
      ['modification', { activateInstructions: [{ elementId: 'a', ancestorElementInstanceKey: 'x' }] }],
      ['modification', { activateInstructions: [{ elementId: 'a', variableInstructions: [{ variables: 3 }] }] }],
      ['modification', { terminateInstructions: [{ elementId: 'a' }] }],
      ['modification', { moveInstructions: [] }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(server.api.calls.length).toBe(before);
  });
});
