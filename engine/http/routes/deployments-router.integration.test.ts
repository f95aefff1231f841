import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

const bpmn = (id: string): File => new File([`<definitions id="${id}"/>`], `${id}.bpmn`, { type: 'application/xml' });

describe('POST /v2/deployments', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('deploys several .bpmn and .form files and answers a DeploymentResult in upload order', async () => {
    const formFile = new File([JSON.stringify({ id: 'review', components: [] })], 'review.form', { type: 'application/json' });
    const result = await server.client.createDeployment({ resources: [bpmn('order'), formFile, bpmn('refund')] });
    expect(result.tenantId).toBe('<default>');
    expect(result.deploymentKey).toMatch(/^\d+$/);
    expect(result.deployments.map((d) => Object.keys(d)[0])).toEqual(['processDefinition', 'form', 'processDefinition']);
    expect(result.deployments[0]?.processDefinition).toMatchObject({ processDefinitionId: 'order', processDefinitionVersion: 1, resourceName: 'order.bpmn', tenantId: '<default>' });
    expect(result.deployments[1]?.form).toMatchObject({ formId: 'review', version: 1, resourceName: 'review.form' });
    const [resources] = server.api.callsOf('deploy').at(-1) as [Array<{ name: string; content: Buffer }>];
    expect(resources.map((r) => r.name)).toEqual(['order.bpmn', 'review.form', 'refund.bpmn']);
    expect(resources[0]?.content.toString()).toBe('<definitions id="order"/>');
  });

  it('passes an engine refusal through as 400 naming the element', async () => {
    server.api.failNext('deploy', new EngineError('INVALID_ARGUMENT', "Element 'x' (complexGateway) is not supported"));
    const err = await sdkError(() => server.client.createDeployment({ resources: [bpmn('bad')] }));
    expect(err).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', detail: "Element 'x' (complexGateway) is not supported" });
  });

  it('refuses a deployment without resources', async () => {
    const body = new FormData();
    body.append('tenantId', '<default>');
    const res = await server.fetchRaw('/v2/deployments', { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/resources/);
  });

  it('refuses an unknown multipart field and another tenant', async () => {
    const body = new FormData();
    body.append('resources', bpmn('a'));
    body.append('bogus', 'x');
    expect((await server.fetchRaw('/v2/deployments', { method: 'POST', body })).status).toBe(400);
    const err = await sdkError(() => server.client.createDeployment({ resources: [bpmn('a')], tenantId: 'other' as never }));
    expect(err).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect(err.detail).toMatch(/multi-tenancy/);
  });

  it('refuses a JSON body with 415', async () => {
    const res = await server.fetchRaw('/v2/deployments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
  });
  it('refuses files above 16 MB together (413) or more than 200 files (400) and deploys nothing (any number of 16 MB files was held in memory)', async () => {
    const deploysBefore = server.api.callsOf('deploy').length;
    const large = new FormData();
    for (let i = 0; i < 3; i += 1) large.append('resources', new File([' '.repeat(6 * 1024 * 1024)], `big${i}.bpmn`), `big${i}.bpmn`);
    const tooLarge = await server.fetchRaw('/v2/deployments', { method: 'POST', body: large });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await tooLarge.json()) as { detail: string }).detail).toMatch(/larger than 16777216 bytes together/);
    const many = new FormData();
    for (let i = 0; i < 201; i += 1) many.append('resources', bpmn(`p${i}`));
    const tooMany = await server.fetchRaw('/v2/deployments', { method: 'POST', body: many });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { detail: string }).detail).toMatch(/at most 200 files/);
    expect(server.api.callsOf('deploy').length).toBe(deploysBefore);
  });
  it('refuses a BPMN or DMN holding a character XML does not allow (a NUL in an element name deployed, then every start failed with 503)', async () => {
    const deploysBefore = server.api.callsOf('deploy').length;
    const body = new FormData();
    body.append('resources', new File(['<definitions id="d"><process id="p"><task id="t" name="a&#0;b"/></process></definitions>'], 'nul.bpmn'), 'nul.bpmn');
    const res = await server.fetchRaw('/v2/deployments', { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/'nul.bpmn': the character reference '&#0;' on line 1/);
    expect(server.api.callsOf('deploy').length).toBe(deploysBefore);
  });
});
