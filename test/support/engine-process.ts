/**
 * Runs the engine as a separate Node process (`node --import tsx engine/main.ts`), the way `npm run engine`
 * does, so a test can SIGKILL it and start it again on the same data.
 */
import { startRepoProcess, waitUntilServing, type RepoProcess } from './repo-process.js';

export interface EngineProcess extends Pick<RepoProcess, 'output' | 'kill' | 'stop'> {
  url: string;
  pid: number;
}

export interface EngineProcessOptions {
  port: number;
  /** Extra environment (data dir, DATABASE_URL, schema, ...). `undefined` values remove a variable. */
  env: Record<string, string | undefined>;
  startTimeoutMs?: number;
}

export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const child = startRepoProcess({
    entry: 'engine/main.ts',
    env: { LOG_LEVEL: 'warn', PORT: String(options.port), ENGINE_PORT: String(options.port), ...options.env },
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilServing(child, `${url}/v2/topology`, 'the engine process', options.startTimeoutMs ?? 30_000);
  return { url, pid: child.pid, output: child.output, kill: child.kill, stop: child.stop };
}
