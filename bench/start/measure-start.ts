/**
 * One start of the platform as a user makes it: a shell runs the start command, the clock runs from the spawn
 * until the banner's first line ("SPE platform ready") is printed. Then the platform is left alone for a while
 * (the settled figure is its resident memory after that) and stopped with SIGINT, as Ctrl-C does.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { largestInTree } from './process-memory.js';

export interface StartFigures {
  /** From the spawn of the shell to the banner, ms. */
  readyMs: number;
  /** Peak resident memory of the platform process (VmHWM) from its start until the settled reading, bytes. */
  peakRssBytes: number;
  /** Resident memory of the platform process after `settleMs` idle, bytes. */
  settledRssBytes: number;
  /**
   * The start ran the TypeScript sources through tsx, not the compiled build (platform/run-compiled.mjs says so
   * when the build is missing or a source changed after it): slower and larger than what `npm ci` gives a user.
   */
  fromSources: boolean;
}

export interface MeasureStartOptions {
  /** Shell command, e.g. `npm start`. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long the platform may take to print its banner before the run counts as failed. */
  timeoutMs: number;
  /** Idle time after the banner before the settled reading. */
  settleMs: number;
}

const READY = 'SPE platform ready';
/** What platform/run-compiled.mjs prints when it runs the sources instead of the build. */
const FROM_SOURCES = 'Running the TypeScript sources directly';

export async function measureStart(options: MeasureStartOptions): Promise<StartFigures> {
  const started = performance.now();
  // Its own process group, so the stop reaches npm, the shell and node alike.
  const child = spawn('sh', ['-c', options.command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let peak = 0;
  const sample = (): void => {
    const memory = child.pid ? largestInTree(child.pid) : undefined;
    if (memory) peak = Math.max(peak, memory.peakRssBytes);
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${READY}" within ${options.timeoutMs} ms; output so far:\n${output.slice(-3000)}`)), options.timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the platform exited (code ${code}) before it was ready; output:\n${output.slice(-3000)}`));
      });
    });
    sample();
    await sleep(options.settleMs);
    sample();
    const settled = child.pid ? largestInTree(child.pid) : undefined;
    if (!settled) throw new Error('the platform process was gone before the settled reading');
    return { readyMs, peakRssBytes: Math.max(peak, settled.peakRssBytes), settledRssBytes: settled.rssBytes, fromSources: output.includes(FROM_SOURCES) };
  } finally {
    if (child.exitCode === null && child.pid) {
      process.kill(-child.pid, 'SIGINT');
      const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!stopped) process.kill(-child.pid, 'SIGKILL');
    }
  }
}
