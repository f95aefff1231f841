/**
 * The demo's progress on a terminal: finished steps stay on screen with their time and what changed, and the
 * running step sits on one line with a spinner and what it waits for. Without a terminal (CI logs, pipes) the
 * same news comes as plain lines and no spinner.
 */
import type { Writable } from 'node:stream';
import type { DemoStep } from './demo-steps.js';
import type { DemoReporter } from './run-demo.js';
import type { PermitView } from './demo-snapshot.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressDisplayOptions {
  out: Writable & { isTTY?: boolean; columns?: number };
  /** Redraw the running line (default: when `out` is a terminal). */
  live?: boolean;
}

export function createProgressDisplay(options: ProgressDisplayOptions): DemoReporter & { stop(): void } {
  const { out } = options;
  const live = options.live ?? Boolean(out.isTTY);
  let current: { index: number; total: number; step: DemoStep; started: number; waiting: string } | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let outage: string | undefined;

  const counter = (index: number, total: number) => `[${String(index + 1).padStart(String(total).length)}/${total}]`;
  // A pseudo-terminal may report 0 columns: take 120 then.
  const width = () => Math.max(40, (out.columns || 120) - 1);

  function clearLine(): void {
    if (live) out.write('\r\x1b[2K');
  }

  function drawLive(): void {
    if (!live || !current) return;
    const seconds = ((Date.now() - current.started) / 1000).toFixed(0);
    const news = outage ? `platform unreachable (${outage}); waiting for it to come back` : current.waiting;
    const line = `${SPINNER[frame++ % SPINNER.length]} ${counter(current.index, current.total)} ${current.step.title} (${seconds} s): ${news}`;
    out.write(`\r\x1b[2K${line.length > width() ? `${line.slice(0, width() - 1)}…` : line}`);
  }

  function print(line: string): void {
    clearLine();
    out.write(`${line}\n`);
    drawLive();
  }

  return {
    permitReady(permit: PermitView, how) {
      print(`${how === 'created' ? 'Alice filed' : 'Resuming'} permit ${permit.id} "${permit.title}" (${permit.status})`);
    },
    stepStarted(index, total, step) {
      current = { index, total, step, started: Date.now(), waiting: 'starting' };
      if (live) {
        timer ??= setInterval(drawLive, 100);
        drawLive();
      } else {
        out.write(`→ ${counter(index, total)} ${step.title}\n`);
      }
    },
    stepWaiting(index, what) {
      if (current?.index === index) current.waiting = what;
    },
    stepFinished(index, total, step, outcome) {
      current = undefined;
      const how = outcome.resumed ? 'already done' : `${(outcome.ms / 1000).toFixed(1)} s`;
      print(`✔ ${counter(index, total)} ${step.title} (${how})`);
      for (const detail of outcome.details) print(`      ${detail}`);
    },
    throttled(seconds) {
      print(`! the API's rate limit asks for a pause; sending again in ${seconds} s`);
    },
    platformOutage(down, detail) {
      outage = down ? (detail ?? 'no answer') : undefined;
      print(down ? `! the platform stopped answering (${detail ?? 'no answer'}); waiting for it to come back` : '! the platform is back; carrying on');
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clearLine();
    },
  };
}
