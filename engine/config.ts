/**
 * The engine's configuration, read once from the environment and validated. Nothing else reads process.env.
 *
 * Access (docs/engine.md, "Access"): the engine takes one HTTP Basic credential. CAMUNDA_BASIC_AUTH_USERNAME /
 * CAMUNDA_BASIC_AUTH_PASSWORD, the official client's own variables, set it; unset, a random one is kept in the data
 * folder. Binding anything but loopback needs the credential set explicitly.
 */
import { z } from 'zod';
import { credentialProblem, type EngineCredentials } from './auth/engine-credentials.js';

const port = z.coerce.number().int().min(0).max(65535);
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

export const engineConfigSchema = z.object({
  /** Port of the REST `/v2` API: ENGINE_PORT, else PORT, else 8080. */
  port: port.default(8080),
  /** Interface to listen on. Loopback by default; anything else needs explicitly configured credentials. */
  host: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL connection string (ENGINE_DATABASE_URL, else DATABASE_URL); absent: embedded PGlite in `dataDir`. */
  databaseUrl: z.string().url().optional(),
  /** PostgreSQL schema for the engine's tables. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  /** Folder of the embedded PGlite database, and of the generated credential (also with DATABASE_URL). */
  dataDir: z.string().default('./data/engine'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Names accepted in `Host` besides loopback and `host` (ENGINE_ALLOWED_HOSTS, comma-separated). */
  allowedHosts: z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, 'must be host names or IP addresses without port, comma-separated')).default([]),
  /** `PUT /v2/clock` works (ZEEBE_CLOCK_CONTROLLED, as Zeebe names it). */
  clockControlled: z.boolean().default(false),
  /** The credential from CAMUNDA_BASIC_AUTH_USERNAME / _PASSWORD; absent: generated and kept in `dataDir`. */
  credentials: z.object({ username: z.string(), password: z.string() }).optional(),
});

export type EngineConfig = z.infer<typeof engineConfigSchema>;

/** A setting the engine cannot start with; the message names the variable and what to do. */
export class EngineConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConfigError';
  }
}

/** Loopback addresses: only processes on this machine reach them. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why `host` may not be bound without explicitly configured credentials; undefined when it may. */
export function exposureProblem(host: string, credentialsConfigured: boolean): string | undefined {
  if (isLoopbackHost(host) || credentialsConfigured) return undefined;
  return (
    `ENGINE_HOST=${host} would let other machines reach the engine, and it then needs a credential you chose and handed to its clients. ` +
    'Set CAMUNDA_AUTH_STRATEGY=BASIC, CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD (the same variables its clients use), ' +
    'and ENGINE_ALLOWED_HOSTS to the names clients call it by; or keep ENGINE_HOST=127.0.0.1 (the default).'
  );
}

function booleanWord(value: string | undefined, variable: string, problems: string[]): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = BOOLEAN_WORDS[value.trim().toLowerCase()];
  if (parsed === undefined) problems.push(`${variable} must be true or false (got "${value}")`);
  return parsed;
}

/** The Basic credential from the client's variables, or the problems with them. */
function configuredCredentials(env: NodeJS.ProcessEnv, problems: string[]): EngineCredentials | undefined {
  const strategy = env.CAMUNDA_AUTH_STRATEGY?.trim().toUpperCase() || undefined;
  const username = env.CAMUNDA_BASIC_AUTH_USERNAME || undefined;
  const password = env.CAMUNDA_BASIC_AUTH_PASSWORD || undefined;
  if (strategy === 'OAUTH') {
    problems.push(
      'CAMUNDA_AUTH_STRATEGY=OAUTH is set, but the embedded engine takes HTTP Basic credentials only. ' +
        'Use CAMUNDA_AUTH_STRATEGY=BASIC with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD (or none: a credential is generated), ' +
        'or point ZEEBE_REST_ADDRESS at a Camunda 8 cluster that does OIDC.',
    );
    return undefined;
  }
  if (strategy !== undefined && !['NONE', 'BASIC'].includes(strategy)) {
    problems.push(`CAMUNDA_AUTH_STRATEGY must be BASIC, OAUTH or NONE (got "${env.CAMUNDA_AUTH_STRATEGY}")`);
    return undefined;
  }
  if (!username && !password) {
    if (strategy === 'BASIC') problems.push('CAMUNDA_AUTH_STRATEGY=BASIC needs CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD; set both, or unset CAMUNDA_AUTH_STRATEGY to have a credential generated.');
    return undefined;
  }
  if (!username || !password) {
    problems.push(`CAMUNDA_BASIC_AUTH_${username ? 'PASSWORD' : 'USERNAME'} is unset while CAMUNDA_BASIC_AUTH_${username ? 'USERNAME' : 'PASSWORD'} is set; set both (or neither, to have a credential generated).`);
    return undefined;
  }
  const credentials = { username, password };
  const problem = credentialProblem(credentials);
  if (problem) problems.push(`CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD: ${problem}`);
  return credentials;
}

export function readEngineConfig(env: NodeJS.ProcessEnv): EngineConfig {
  const problems: string[] = [];
  const clockControlled = booleanWord(env.ZEEBE_CLOCK_CONTROLLED, 'ZEEBE_CLOCK_CONTROLLED', problems);
  const credentials = configuredCredentials(env, problems);
  const parsed = engineConfigSchema.safeParse({
    port: env.ENGINE_PORT ?? env.PORT,
    host: env.ENGINE_HOST || undefined,
    // The engine's own PostgreSQL when it is not the Permit Manager's (ENGINE_DATABASE_URL), else the shared one.
    databaseUrl: env.ENGINE_DATABASE_URL || env.DATABASE_URL || undefined,
    databaseSchema: env.ENGINE_DATABASE_SCHEMA || undefined,
    dataDir: env.ENGINE_DATA_DIR,
    logLevel: env.LOG_LEVEL,
    allowedHosts: env.ENGINE_ALLOWED_HOSTS ? env.ENGINE_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) : undefined,
    clockControlled,
    credentials,
  });
  if (parsed.success) {
    const exposure = exposureProblem(parsed.data.host, credentials !== undefined);
    if (exposure) problems.push(exposure);
  } else {
    problems.unshift(...parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  if (problems.length > 0 || !parsed.success) {
    throw new EngineConfigError(`Invalid engine configuration:\n${problems.map((p) => `  ${p}`).join('\n')}\nFix the environment variables above (see README.md, "Configuration", and docs/engine.md, "Access").`);
  }
  return parsed.data;
}
