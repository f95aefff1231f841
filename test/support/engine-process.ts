/**
 * Runs the engine as a separate Node process (`node platform/run-compiled.mjs engine/main.ts`, test/support/repo-process.ts), the way `npm run engine`
 * does, so a test can SIGKILL it and start it again on the same data. It gets its credential the way a user
 * gives one: CAMUNDA_AUTH_STRATEGY=BASIC with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD (a fixed
 * test credential unless `credentials` says otherwise), so no credential file is written.
 */
import type { EngineCredentials } from '../../engine/index.js';
import { basicAuthorization } from './camunda-client.js';
import { startRepoProcess, waitUntilServing, type RepoProcess } from './repo-process.js';

export const ENGINE_PROCESS_CREDENTIALS: EngineCredentials = { username: 'durability-test', password: 'durability-test-password' };

export interface EngineProcess extends Pick<RepoProcess, 'output' | 'kill' | 'stop' | 'waitForLine'> {
  url: string;
  pid: number;
  credentials: EngineCredentials;
}

export interface EngineProcessOptions {
  port: number;
  /** Extra environment (data dir, DATABASE_URL, schema, ...). `undefined` values remove a variable. */
  env: Record<string, string | undefined>;
  /** The credential the engine is started with; default ENGINE_PROCESS_CREDENTIALS. */
  credentials?: EngineCredentials;
  startTimeoutMs?: number;
}

export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const credentials = options.credentials ?? ENGINE_PROCESS_CREDENTIALS;
  const child = startRepoProcess({
    entry: 'engine/main.ts',
    env: {
      LOG_LEVEL: 'warn',
      PORT: String(options.port),
      ENGINE_PORT: String(options.port),
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: credentials.username,
      CAMUNDA_BASIC_AUTH_PASSWORD: credentials.password,
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilServing(child, `${url}/v2/topology`, 'the engine process', options.startTimeoutMs ?? 30_000, { authorization: basicAuthorization(credentials) });
  return { url, pid: child.pid, credentials, output: child.output, kill: child.kill, stop: child.stop, waitForLine: child.waitForLine };
}
