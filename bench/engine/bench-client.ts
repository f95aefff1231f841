/**
 * The official client the benchmark's creating loops and job worker use, with the transport
 * BENCH_CLIENT_TRANSPORT names:
 *
 * - `platform` (the default): as the platform's own API, job workers and listener build it for the embedded engine
 *   (rest-api/engine/camunda-fetch.ts: the same official client over a keep-alive `node:http` transport that sets
 *   the credential while sending), so the bench measures the platform as it runs.
 * - `sdk`: as test/support/camunda-client.ts builds it, on the SDK's own transport (undici's fetch, the SDK's Basic
 *   interceptor), as every figure of this bench before issue 17's last stop was measured. The engine is the same;
 *   the clients' CPU per instance, and so the ceiling, differ.
 */
import { createCamundaRestClient } from '../../rest-api/engine/camunda-fetch.js';
import { clientSettings, createCamundaClient, type CamundaClient, type EngineTarget } from '../../test/support/camunda-client.js';

export type BenchClientTransport = 'sdk' | 'platform';

export function benchClientTransport(env: NodeJS.ProcessEnv = process.env): BenchClientTransport {
  const value = env.BENCH_CLIENT_TRANSPORT?.trim() || 'platform';
  if (value !== 'sdk' && value !== 'platform') throw new Error(`BENCH_CLIENT_TRANSPORT must be 'sdk' or 'platform', got '${value}'`);
  return value;
}

export function createBenchClient(target: EngineTarget, transport: BenchClientTransport = benchClientTransport()): CamundaClient {
  if (transport === 'sdk') return createCamundaClient(target);
  return createCamundaRestClient(target.url, clientSettings(target));
}
