/**
 * The engine's configuration, read once from the environment and validated. Nothing else reads process.env.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const engineConfigSchema = z.object({
  /** Port of the REST `/v2` API: ENGINE_PORT, else PORT, else 8080. */
  port: port.default(8080),
  /** Interface to listen on. Loopback by default: the engine has no authentication of its own. */
  host: z.string().default('127.0.0.1'),
  /** PostgreSQL connection string; when absent the engine uses embedded PGlite in `dataDir`. */
  databaseUrl: z.string().url().optional(),
  /** PostgreSQL schema for the engine's tables. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  /** Folder of the embedded PGlite database. */
  dataDir: z.string().default('./data/engine'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type EngineConfig = z.infer<typeof engineConfigSchema>;

export function readEngineConfig(env: NodeJS.ProcessEnv): EngineConfig {
  const parsed = engineConfigSchema.safeParse({
    port: env.ENGINE_PORT ?? env.PORT,
    host: env.ENGINE_HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.ENGINE_DATABASE_SCHEMA || undefined,
    dataDir: env.ENGINE_DATA_DIR,
    logLevel: env.LOG_LEVEL,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new Error(`Invalid engine configuration:\n${lines.join('\n')}\nFix the environment variables above (see README.md, "Configuration").`);
  }
  return parsed.data;
}
