/**
 * The embedded engine's settings from ENGINE_* (and DATABASE_URL, ZEEBE_CLOCK_CONTROLLED, CAMUNDA_BASIC_AUTH_*),
 * as `startPlatform` takes them. PORT belongs to the REST API in the platform, so the engine's `PORT` fallback is
 * left out here: only ENGINE_PORT moves it. With ZEEBE_REST_ADDRESS there is no embedded engine, and the CAMUNDA_*
 * settings (OAuth, say) belong to the cluster's clients alone, so nothing is read.
 */
import { readEngineConfig } from '../engine/config.js';
import type { PlatformOptions } from './start-platform.js';

export function embeddedEngineFromEnv(env: NodeJS.ProcessEnv): NonNullable<PlatformOptions['embeddedEngine']> {
  if (env.ZEEBE_REST_ADDRESS) return {};
  const engine = readEngineConfig({ ...env, PORT: undefined });
  return {
    port: engine.port,
    host: engine.host,
    dataDir: engine.dataDir,
    ...(engine.databaseUrl ? { databaseUrl: engine.databaseUrl } : {}),
    ...(engine.databaseSchema ? { schema: engine.databaseSchema } : {}),
    ...(engine.credentials ? { credentials: engine.credentials } : {}),
    allowedHosts: engine.allowedHosts,
    clockControlled: engine.clockControlled,
  };
}
