/**
 * The embedded engine's settings from ENGINE_* (and DATABASE_URL), as `startPlatform` takes them. PORT belongs to
 * the REST API in the platform, so the engine's `PORT` fallback is left out here: only ENGINE_PORT moves it.
 */
import { readEngineConfig } from '../engine/config.js';
import type { PlatformOptions } from './start-platform.js';

export function embeddedEngineFromEnv(env: NodeJS.ProcessEnv): NonNullable<PlatformOptions['embeddedEngine']> {
  const engine = readEngineConfig({ ...env, PORT: undefined });
  return {
    port: engine.port,
    host: engine.host,
    dataDir: engine.dataDir,
    ...(engine.databaseUrl ? { databaseUrl: engine.databaseUrl } : {}),
    ...(engine.databaseSchema ? { schema: engine.databaseSchema } : {}),
  };
}
