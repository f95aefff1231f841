/**
 * Runs the engine as a separate Node process (`node --import tsx engine/main.ts`), the way `npm run engine`
 * does, so a test can SIGKILL it and start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTPUT_LINES_KEPT = 200;

export interface EngineProcess {
  url: string;
  pid: number;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM (graceful) and resolves once the process is gone; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface EngineProcessOptions {
  port: number;
  /** Extra environment (data dir, DATABASE_URL, schema, ...). `undefined` values remove a variable. */
  env: Record<string, string | undefined>;
  startTimeoutMs?: number;
}

export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries({ PORT: String(options.port), ENGINE_PORT: String(options.port), ...options.env })) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'engine', 'main.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = (): string => lines.join('\n');

  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor(
      `the engine process to answer GET ${url}/v2/topology`,
      async () => {
        if (child.exitCode !== null) throw new Error(`engine process exited with code ${child.exitCode}:\n${output()}`);
        const response = await fetch(`${url}/v2/topology`);
        return response.ok;
      },
      { timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 100 },
    );
  } catch (error) {
    await terminate(child, exited, 'SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- engine output ---\n${output()}`);
  }
  return {
    url,
    pid: child.pid ?? -1,
    output,
    kill: () => terminate(child, exited, 'SIGKILL'),
    stop: async (graceMs = 5_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await terminate(child, exited, 'SIGTERM');
      clearTimeout(timer);
    },
  };
}

async function terminate(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await exited;
}
