/**
 * Runs one of the repository's entry files as a separate Node process (`node platform/run-compiled.mjs <entry>`),
 * the way its npm script does, so a test can SIGKILL it and start it again on the same data, or watch what it
 * prints. Like `npm start`, that runs the compiled JavaScript in dist/server when it is newer than every source
 * (as after `npm ci`), else the TypeScript through tsx (with one line on stderr saying so): loading the compiled
 * platform takes about half the CPU of transpiling it at every start (0.7 s against 1.7 s for start-platform).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTPUT_LINES_KEPT = 400;

export interface RepoProcess {
  pid: number;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  /** Resolves when a line of output matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM (graceful) and resolves once the process is gone; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface RepoProcessOptions {
  /** Entry file relative to the repository root, e.g. `platform/main.ts`. */
  entry: string;
  args?: readonly string[];
  /** Environment on top of this process's. `undefined` values remove a variable. */
  env: Record<string, string | undefined>;
}

export function startRepoProcess(options: RepoProcessOptions): RepoProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(options.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'platform', 'run-compiled.mjs'), options.entry, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const keep = (chunk: Buffer): void => {
    const added = chunk.toString('utf8').split('\n').filter(Boolean);
    lines.push(...added);
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
    for (const line of added) for (const listener of listeners) listener(line);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    output: () => lines.join('\n'),
    exited,
    waitForLine: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) return resolve(seen);
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${options.entry} printed no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`));
        }, timeoutMs);
        const listener = (line: string): void => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
      }),
    kill: () => terminate('SIGKILL'),
    stop: async (graceMs = 5_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await terminate('SIGTERM');
      clearTimeout(timer);
    },
  };
}

/** Waits until `url` answers 2xx (sent with `headers`, e.g. the engine's credential), failing early (with the output) if the process exits. */
export async function waitUntilServing(process: RepoProcess, url: string, what: string, timeoutMs = 60_000, headers?: Record<string, string>): Promise<void> {
  let exitCode: number | null | undefined;
  void process.exited.then((code) => (exitCode = code));
  try {
    await waitFor(
      `${what} to answer GET ${url}`,
      async () => {
        if (exitCode !== undefined) throw new Error(`${what} exited with code ${exitCode}`);
        const response = await fetch(url, headers ? { headers } : {});
        return response.ok;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await process.kill();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- ${what} output ---\n${process.output()}`);
  }
}
