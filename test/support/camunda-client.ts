/**
 * The official Camunda 8.8 client (Orchestration Cluster REST API) pointed at an engine URL, configured the way
 * the project's own code will configure it: no authentication, REST address only. Tests and benchmarks use it
 * so that they exercise the engine exactly as every other component does. The "loose" variant of the same
 * client takes keys as plain strings, which keeps test code free of brand casts.
 */
import { Camunda8 } from '@camunda8/sdk';

export type CamundaClient = ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']>;

/** Reads straight from the engine: it is strongly consistent, so searches never need to wait. */
export const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;

/** `url` is the engine's base URL (with or without `/v2`). A new, uncached client on every call. */
export function createCamundaClient(url: string): CamundaClient {
  const c8 = new Camunda8({ ZEEBE_REST_ADDRESS: url, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'error' });
  return c8.getOrchestrationClusterApiClientLoose({}, { cached: false });
}
