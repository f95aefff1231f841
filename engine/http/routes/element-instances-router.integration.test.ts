import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementInstance, incident, messageSubscription, variable } from '../testing/sample-records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const now = { consistency: { waitUpToMs: 0 } };

describe('element instances, variables, incidents and message subscriptions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(
      elementInstance(),
      elementInstance({ elementInstanceKey: '2251799813685263', elementId: 'start', type: 'START_EVENT', state: 'COMPLETED', endDate: '2025-01-02T03:04:06.000Z' }),
      variable(),
      incident(),
      messageSubscription(),
    );
  });
  afterAll(() => server.close());

  it('searches element instances of a process instance by start date and hides internal fields', async () => {
    const result = await server.client.searchElementInstances(
      { filter: { processInstanceKey: '2251799813685260' as never, elementInstanceScopeKey: '2251799813685260' as never }, sort: [{ field: 'elementInstanceKey' }] },
      now,
    );
    expect(result.items?.map((e) => e.elementId)).toEqual(['ship', 'start']);
    expect(result.items?.[1]).toEqual({
      processDefinitionId: 'order-process', startDate: '2025-01-02T03:04:05.678Z', endDate: '2025-01-02T03:04:06.000Z', elementId: 'start',
      elementName: 'Ship', type: 'START_EVENT', state: 'COMPLETED', hasIncident: false, tenantId: '<default>',
      elementInstanceKey: '2251799813685263', processInstanceKey: '2251799813685260', processDefinitionKey: '2251799813685249',
    });
    expect(server.api.callsOf('searchElementInstances').at(-1)?.[0]).toMatchObject({ filters: [{ field: 'processInstanceKey' }, { field: 'flowScopeKey' }] });
  });

  it('gets an element instance and sets variables on it', async () => {
    expect(await server.client.getElementInstance({ elementInstanceKey: '2251799813685262' as never }, now)).toMatchObject({ elementId: 'ship' });
    await server.client.createElementInstanceVariables({ elementInstanceKey: '2251799813685262' as never, variables: { x: 1 }, local: true });
    expect(server.api.callsOf('setVariables').at(-1)).toEqual(['2251799813685262', { variables: { x: 1 }, local: true }]);
    expect((await sdkError(() => server.client.createElementInstanceVariables({ elementInstanceKey: '2251799813685262' } as never))).detail).toMatch(/'variables'/);
    expect(await sdkError(() => server.client.createElementInstanceVariables({ elementInstanceKey: '7' as never, variables: {} }))).toMatchObject({ status: 404 });
  });

  it('searches and gets variables with the value as JSON text', async () => {
    const result = await server.client.searchVariables({ filter: { name: { $like: 'order*' } } }, now);
    expect(result.items).toEqual([
      { name: 'orderId', value: '"A-1"', isTruncated: false, tenantId: '<default>', variableKey: '2251799813685270', scopeKey: '2251799813685260', processInstanceKey: '2251799813685260' },
    ]);
    expect(await server.client.getVariable({ variableKey: '2251799813685270' as never }, now)).toMatchObject({ name: 'orderId', value: '"A-1"' });
    expect(await sdkError(() => server.client.searchVariables({ filter: { name: { $gt: 'a' } } } as never, now))).toMatchObject({ status: 400 });
  });

  it('searches, gets and resolves incidents', async () => {
    const result = await server.client.searchIncidents({ filter: { state: 'ACTIVE', processInstanceKey: '2251799813685260' as never } }, now);
    expect(result.items?.[0]).toMatchObject({ incidentKey: '2251799813685300', errorType: 'JOB_NO_RETRIES', creationTime: '2025-01-02T03:04:05.678Z', jobKey: '2251799813685280' });
    expect(await server.client.getIncident({ incidentKey: '2251799813685300' as never }, now)).toMatchObject({ errorMessage: 'boom' });
    await server.client.resolveIncident({ incidentKey: '2251799813685300' as never });
    expect(server.api.callsOf('resolveIncident').at(-1)).toEqual(['2251799813685300']);
    expect(await sdkError(() => server.client.resolveIncident({ incidentKey: '5' as never }))).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });

  it('searches message subscriptions by state and name', async () => {
    const result = await server.client.searchMessageSubscriptions({ filter: { messageSubscriptionState: 'CREATED', messageName: 'paid' } }, now);
    expect(result.items).toEqual([
      {
        messageSubscriptionKey: '2251799813685310', processDefinitionId: 'order-process', processDefinitionKey: '2251799813685249',
        processInstanceKey: '2251799813685260', elementId: 'wait-paid', elementInstanceKey: '2251799813685311',
        messageSubscriptionState: 'CREATED', messageName: 'paid', correlationKey: 'A-1', tenantId: '<default>',
      },
    ]);
    expect(server.api.callsOf('searchMessageSubscriptions').at(-1)?.[0]).toMatchObject({ filters: [{ field: 'state', op: '$eq', value: 'CREATED' }, { field: 'messageName' }] });
  });
});
