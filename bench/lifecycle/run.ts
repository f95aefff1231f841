/**
 * `npm run bench:lifecycle`: whole permit lifecycles (the demo's script: application to CLOSED, 18 steps with a tus
 * upload into quarantine, the HDAB's release of the unscanned delivery and two rework rounds, the real job workers,
 * notifications and workspace objects) driven over the REST API by the demo's
 * runner, 1, 10 and 100 at once, on the embedded databases (PGlite) and on PostgreSQL when DATABASE_URL is set.
 * Prints time per lifecycle (mean, p50, max), permits per hour, and the process's peak memory (RSS, V8 heap) while
 * each level ran. The reference, measured in the same run on the same database, is one permit alone: the ratio
 * column says how much more throughput concurrency buys. Platform and drivers share this one process (and the
 * machine), so the memory includes the drivers.
 *
 *   BENCH_LIFECYCLE_LEVELS (1,10,100)   concurrent permits per level
 *   BENCH_LIFECYCLE_GRACE  (PT1S)       closure's grace period (a fixed wait inside every lifecycle)
 *   DATABASE_URL                        also run on PostgreSQL (fresh schemas, dropped afterwards)
 */
import { createDemoApi } from '../../demo/demo-api.js';
import { runDemo, type DemoReporter } from '../../demo/run-demo.js';
import { startPermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';

interface LevelFigures {
  database: string;
  concurrent: number;
  finished: number;
  failed: number;
  meanMs: number;
  p50Ms: number;
  maxMs: number;
  wallMs: number;
  perHour: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const levels = (process.env.BENCH_LIFECYCLE_LEVELS ?? '1,10,100').split(',').map((v) => {
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_LIFECYCLE_LEVELS must be positive whole numbers separated by commas (got "${v}")`);
  return n;
});
const grace = process.env.BENCH_LIFECYCLE_GRACE ?? 'PT1S';
const silent: DemoReporter = {
  permitReady: () => undefined,
  stepStarted: () => undefined,
  stepWaiting: () => undefined,
  stepFinished: () => undefined,
  platformOutage: () => undefined,
};
const mb = (bytes: number) => bytes / (1024 * 1024);

async function runLevel(baseUrl: string, database: string, concurrent: number): Promise<LevelFigures> {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 250);
  const started = Date.now();
  const durations: number[] = [];
  let failed = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrent }, async () => {
        const api = createDemoApi({ baseUrl });
        const t0 = Date.now();
        try {
          // Polling as a person's browser would, not as fast as possible: the runner's load is part of the figure.
          const result = await runDemo({ api, reporter: silent, deletionGracePeriod: grace, pollMs: 500, fullSnapshotMs: 3_000, stepTimeoutMs: 20 * 60_000 });
          if (result.final.permit.status !== 'CLOSED') failed += 1;
          else durations.push(Date.now() - t0);
        } catch (error) {
          failed += 1;
          if (failed <= 3) console.error(`  a lifecycle failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const wallMs = Date.now() - started;
  durations.sort((a, b) => a - b);
  const mean = durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length);
  return {
    database,
    concurrent,
    finished: durations.length,
    failed,
    meanMs: mean,
    p50Ms: durations[Math.floor(durations.length / 2)] ?? 0,
    maxMs: durations.at(-1) ?? 0,
    wallMs,
    perHour: (durations.length / wallMs) * 3_600_000,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
  };
}

function print(rows: LevelFigures[]): void {
  const header = ['database', 'permits', 'done', 'mean s', 'p50 s', 'max s', 'wall s', 'permits/h', '× alone', 'RSS MB', 'heap MB'];
  const widths = [10, 8, 6, 8, 8, 8, 8, 10, 8, 8, 8];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  console.log('');
  console.log(line(header));
  for (const row of rows) {
    const alone = rows.find((r) => r.database === row.database && r.concurrent === 1);
    const ratio = alone && alone.perHour > 0 ? `${(row.perHour / alone.perHour).toFixed(1)}×` : '–';
    console.log(
      line([
        row.database,
        String(row.concurrent),
        `${row.finished}${row.failed ? `(${row.failed}✗)` : ''}`,
        (row.meanMs / 1000).toFixed(1),
        (row.p50Ms / 1000).toFixed(1),
        (row.maxMs / 1000).toFixed(1),
        (row.wallMs / 1000).toFixed(1),
        row.perHour.toFixed(0),
        ratio,
        row.peakRssMb.toFixed(0),
        row.peakHeapMb.toFixed(0),
      ]),
    );
  }
  console.log('');
  console.log(`Each lifecycle: 18 steps from application to CLOSED (the unscanned delivery released by the HDAB) with two rework rounds, closure grace ${grace}. "× alone": permits/h against one permit alone on the same database in this run.`);
}

async function main(): Promise<void> {
  const targets: Array<{ name: string; database: 'pglite' | 'postgresql' }> = [{ name: 'PGlite', database: 'pglite' }];
  if (process.env.DATABASE_URL) targets.push({ name: 'PostgreSQL', database: 'postgresql' });
  else console.log('DATABASE_URL is unset: PGlite only (set it to measure on PostgreSQL too).');
  console.log(`Permit lifecycle benchmark: ${levels.join(', ')} concurrent permits on ${targets.map((t) => t.name).join(' and ')}`);
  const rows: LevelFigures[] = [];
  for (const target of targets) {
    const pm = await startPermitManagerForTest({ database: target.database, amqpUrl: undefined, logLevel: 'error' });
    try {
      for (const concurrent of levels) {
        process.stdout.write(`  ${target.name}: ${concurrent} at once… `);
        const figures = await runLevel(pm.baseUrl, target.name, concurrent);
        rows.push(figures);
        console.log(`${figures.finished} closed in ${(figures.wallMs / 1000).toFixed(1)} s (${figures.perHour.toFixed(0)} permits/h, peak RSS ${figures.peakRssMb.toFixed(0)} MB)`);
      }
    } finally {
      await pm.stop();
    }
  }
  print(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
