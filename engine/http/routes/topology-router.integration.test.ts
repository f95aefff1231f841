import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Camunda8 } from '@camunda8/sdk';
import { TEST_CREDENTIALS, startTestServer, type TestServer } from '../testing/start-test-server.js';

describe('topology and status', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers getTopology with a one-broker cluster that passes fanatical validation', async () => {
    const topology = await server.client.getTopology();
    expect(topology.clusterSize).toBe(1);
    expect(topology.partitionsCount).toBe(1);
    expect(topology.gatewayVersion).toBe('8.8.0-embedded');
    expect(topology.brokers[0]?.partitions[0]).toEqual({ partitionId: 1, role: 'leader', health: 'healthy' });
  });

  it('answers getStatus with 204', async () => {
    await expect(server.client.getStatus()).resolves.toBeUndefined();
    expect((await server.fetchRaw('/v2/status')).status).toBe(204);
  });

  it('works through @camunda8/sdk Camunda8 with ZEEBE_REST_ADDRESS and Basic auth', async () => {
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: server.url,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: TEST_CREDENTIALS.username,
      CAMUNDA_BASIC_AUTH_PASSWORD: TEST_CREDENTIALS.password,
    });
    const client = c8.getOrchestrationClusterApiClient();
    const topology = await client.getTopology();
    expect(topology.brokers).toHaveLength(1);
  });
});
