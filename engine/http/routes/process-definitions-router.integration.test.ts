import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, processDefinition, sampleXml } from '../testing/sample-records.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const now = { consistency: { waitUpToMs: 0 } };

describe('process definitions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    server.api.seed(
      processDefinition(),
      processDefinition({ processDefinitionKey: '2251799813685351', version: 2, hasStartForm: true }),
      processDefinition({ processDefinitionKey: '2251799813685352', processDefinitionId: 'refund', name: 'Refund', resourceName: 'refund.bpmn' }),
      form(),
    );
  });
  afterAll(() => server.close());

  it('searches definitions without internal fields', async () => {
    const result = await server.client.searchProcessDefinitions({ filter: { processDefinitionId: 'order-process' }, sort: [{ field: 'version', order: 'DESC' }] }, now);
    expect(result.items?.map((d) => d.version)).toEqual([2, 1]);
    expect(result.items?.[1]).toEqual({
      name: 'Order', resourceName: 'order.bpmn', version: 1, versionTag: 'v1', processDefinitionId: 'order-process', tenantId: '<default>',
      processDefinitionKey: '2251799813685249', hasStartForm: false,
    });
  });

  it('filters the latest versions only', async () => {
    const result = await server.client.searchProcessDefinitions({ filter: { isLatestVersion: true }, sort: [{ field: 'processDefinitionId' }] }, now);
    expect(result.items?.map((d) => [d.processDefinitionId, d.version])).toEqual([['order-process', 2], ['refund', 1]]);
    expect(Number(result.page.totalItems)).toBe(2);
  });

  it('gets a definition, its XML and its start form', async () => {
    expect(await server.client.getProcessDefinition({ processDefinitionKey: '2251799813685249' as never }, now)).toMatchObject({ version: 1 });
    expect(await server.client.getProcessDefinitionXml({ processDefinitionKey: '2251799813685249' as never }, now)).toBe(sampleXml);
    const xml = await server.fetchRaw('/v2/process-definitions/2251799813685249/xml');
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await server.client.getStartProcessForm({ processDefinitionKey: '2251799813685351' as never }, now)).toMatchObject({ formId: 'order-form' });
    expect((await server.fetchRaw('/v2/process-definitions/2251799813685249/form')).status).toBe(204);
    expect(await sdkError(() => server.client.getProcessDefinition({ processDefinitionKey: '3' as never }, now))).toMatchObject({ status: 404 });
  });

  it('refuses bad paging and unknown filters', async () => {
    expect((await sdkError(() => server.client.searchProcessDefinitions({ page: { from: -1 } } as never, now))).detail).toMatch(/from/);
    expect((await sdkError(() => server.client.searchProcessDefinitions({ page: { after: 'bm9wZQ==' } } as never, now))).detail).toMatch(/cursor/);
    expect((await sdkError(() => server.client.searchProcessDefinitions({ filter: { bpmnProcessId: 'x' } } as never, now))).detail).toMatch(/'bpmnProcessId'/);
  });
});
