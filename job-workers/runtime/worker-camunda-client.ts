/**
 * The official client (loose variant) a worker, or the decision listener's engine reads, use: one per caller, on
 * the engine's REST address with the SDK settings given. `fetch`: the transport to send with (the platform passes
 * rest-api/engine/camunda-fetch.ts's keep-alive one for the embedded engine); absent, the SDK's own.
 */
import { Camunda8 } from '@camunda8/sdk';

export interface WorkerCamundaConnection {
  restAddress: string;
  settings?: Record<string, string | number | boolean>;
  fetch?: typeof fetch;
}

export function createWorkerCamundaClient(camunda: WorkerCamundaConnection): ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']> {
  const c8 = new Camunda8({ CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'error', ...camunda.settings, ZEEBE_REST_ADDRESS: camunda.restAddress } as never);
  const client = c8.getOrchestrationClusterApiClientLoose({}, { cached: false });
  // The SDK types fetch with its own (structurally equal) Response type.
  if (camunda.fetch) client.configure({ fetch: camunda.fetch as never });
  return client;
}
