import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { processInstance } from '../testing/sample-records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const now = { consistency: { waitUpToMs: 0 } };

describe('process instances', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(
      processInstance({ tags: ['urgent'] }),
      processInstance({ processInstanceKey: '2251799813685261', state: 'COMPLETED', endDate: '2025-01-02T04:00:00.000Z' }),
    );
  });
  afterAll(() => server.close());

  it('creates an instance by process id and answers CreateProcessInstanceResult', async () => {
    server.api.createResult = { instance: processInstance() };
    const result = await server.client.createProcessInstance({ processDefinitionId: 'order-process' as never, variables: { a: 1 } });
    expect(result).toEqual({
      processDefinitionId: 'order-process', processDefinitionVersion: 1, tenantId: '<default>', variables: {},
      processDefinitionKey: '2251799813685249', processInstanceKey: '2251799813685260',
    });
    expect(server.api.callsOf('createProcessInstance').at(-1)?.[0]).toEqual({ processDefinitionId: 'order-process', variables: { a: 1 } });
  });

  it('awaits completion with fetchVariables and hands the engine an abort signal', async () => {
    server.api.createResult = { instance: processInstance({ state: 'COMPLETED' }), variables: { total: 42 } };
    const result = await server.client.createProcessInstance({
      processDefinitionKey: '2251799813685249' as never, awaitCompletion: true, fetchVariables: ['total'], requestTimeout: 5000,
    });
    expect(result.variables).toEqual({ total: 42 });
    expect(server.api.callsOf('createProcessInstance').at(-1)?.[0]).toEqual({
      processDefinitionKey: '2251799813685249', awaitCompletion: true, fetchVariables: ['total'], requestTimeout: 5000,
    });
    expect(server.api.lastSignal).toBeInstanceOf(AbortSignal);
  });

  it('refuses unknown keys, wrong types and both id and key', async () => {
    const unknown = await sdkError(() => server.client.createProcessInstance({ processDefinitionId: 'p', bogus: 1 } as never));
    expect(unknown).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect(unknown.detail).toMatch(/'bogus'/);
    const wrongType = await sdkError(() => server.client.createProcessInstance({ processDefinitionId: 'p', variables: 'x' } as never));
    expect(wrongType.detail).toMatch(/'variables'/);
    const both = await sdkError(() => server.client.createProcessInstance({ processDefinitionId: 'p', processDefinitionKey: '1' } as never));
    expect(both.detail).toMatch(/exactly one/);
  });

  it('cancels an instance with 204 and maps NOT_FOUND', async () => {
    await expect(server.client.cancelProcessInstance({ processInstanceKey: '2251799813685260' as never })).resolves.toBeUndefined();
    expect(server.api.callsOf('cancelProcessInstance').at(-1)).toEqual(['2251799813685260']);
    const err = await sdkError(() => server.client.cancelProcessInstance({ processInstanceKey: '999' as never }));
    expect(err).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });

  it('gets an instance by key', async () => {
    const pi = await server.client.getProcessInstance({ processInstanceKey: '2251799813685260' as never }, now);
    expect(pi).toMatchObject({ processInstanceKey: '2251799813685260', state: 'ACTIVE', startDate: '2025-01-02T03:04:05.678Z', tags: ['urgent'] });
  });

  it('searches with filters, sort and cursor paging', async () => {
    const first = await server.client.searchProcessInstances(
      { filter: { processDefinitionId: 'order-process' }, sort: [{ field: 'processInstanceKey', order: 'DESC' }], page: { limit: 1 } },
      now,
    );
    expect(first.items.map((i) => i.processInstanceKey)).toEqual(['2251799813685261']);
    expect(Number(first.page.totalItems)).toBe(2);
    const second = await server.client.searchProcessInstances(
      { sort: [{ field: 'processInstanceKey', order: 'DESC' }], page: { after: first.page.endCursor as never, limit: 1 } },
      now,
    );
    expect(second.items.map((i) => i.processInstanceKey)).toEqual(['2251799813685260']);
    const active = await server.client.searchProcessInstances({ filter: { state: { $in: ['ACTIVE'] } } }, now);
    expect(active.items).toHaveLength(1);
    expect(server.api.callsOf('searchProcessInstances').at(-1)?.[0]).toMatchObject({ filters: [{ field: 'state', op: '$in', value: ['ACTIVE'] }] });
  });

  it('refuses unknown filter and sort fields', async () => {
    const filter = await sdkError(() => server.client.searchProcessInstances({ filter: { variables: [] } } as never, now));
    expect(filter).toMatchObject({ status: 400 });
    expect(filter.detail).toMatch(/'variables'/);
    const sort = await sdkError(() => server.client.searchProcessInstances({ sort: [{ field: 'nope' }] } as never, now));
    expect(sort.detail).toMatch(/'nope'/);
  });

  it('passes INVALID_STATE through as 409', async () => {
    server.api.failNext('cancelProcessInstance', new EngineError('INVALID_STATE', 'instance already completed'));
    const err = await sdkError(() => server.client.cancelProcessInstance({ processInstanceKey: '2251799813685261' as never }));
    expect(err).toMatchObject({ status: 409, title: 'INVALID_STATE' });
  });
});
