/**
 * The official Camunda 8.8 client (Orchestration Cluster REST API) pointed at an engine, configured the way the
 * project's own code configures it: REST address and the engine's Basic credential. Tests and benchmarks use it
 * so that they exercise the engine exactly as every other component does. The "loose" variant of the same
 * client takes keys as plain strings, which keeps test code free of brand casts.
 */
import { Camunda8 } from '@camunda8/sdk';
import type { EngineCredentials } from '../../engine/index.js';

export type CamundaClient = ReturnType<Camunda8['getOrchestrationClusterApiClientLoose']>;

/** Reads straight from the engine: it is strongly consistent, so searches never need to wait. */
export const NO_WAIT = { consistency: { waitUpToMs: 0 } } as const;

/** An engine to reach: its base URL (with or without `/v2`) and credential (`RunningEngine` and `EngineProcess` are both). */
export interface EngineTarget {
  url: string;
  credentials: EngineCredentials;
}

/** The official client's settings for `target`. */
export function clientSettings(target: EngineTarget): Record<string, string> {
  return {
    ZEEBE_REST_ADDRESS: target.url,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: target.credentials.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: target.credentials.password,
    CAMUNDA_LOG_LEVEL: 'error',
  };
}

/** A new, uncached client on every call. */
export function createCamundaClient(target: EngineTarget): CamundaClient {
  const c8 = new Camunda8(clientSettings(target) as never);
  return c8.getOrchestrationClusterApiClientLoose({}, { cached: false });
}

/** `Authorization` header value for raw HTTP calls to the engine. */
export function basicAuthorization(credentials: EngineCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
