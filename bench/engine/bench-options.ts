/** Benchmark settings, read once from the environment (all optional). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const SERVICE_TASK_BPMN = join(FIXTURES_DIR, 'bench-service-task.bpmn');
export const USER_TASK_BPMN = join(FIXTURES_DIR, 'bench-user-task.bpmn');
export const SERVICE_TASK_PROCESS_ID = 'bench-service-task';
export const USER_TASK_PROCESS_ID = 'bench-user-task';
export const JOB_TYPE = 'bench-work';

export interface BenchOptions {
  databaseUrl: string;
  /** Measured instances per throughput run (after the warm-up). */
  instances: number;
  warmup: number;
  /** Instances in flight at any time, for both engines. */
  concurrency: number;
  /** Waiting user-task instances for the heap measurement. */
  waiting: number;
  /** Waiting instances for bpmn-engine's heap figure (it needs ~440 KB each). */
  referenceWaiting: number;
}

/** Issue 17's targets: the throughput ratio rose from 3× to 5×; pick-up p99 < 25 ms also at saturation. */
export const TARGETS = { throughputRatio: 5, pickupP99Ms: 25, heapPerWaitingBytes: 20 * 1024 } as const;

export function readBenchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  return {
    databaseUrl: env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test',
    instances: int('BENCH_INSTANCES', 6_000),
    warmup: int('BENCH_WARMUP', 2_000),
    concurrency: int('BENCH_CONCURRENCY', 64),
    waiting: int('BENCH_WAITING', 10_000),
    referenceWaiting: int('BENCH_REFERENCE_WAITING', 1_000),
  };
}

/**
 * BENCH_JOB_POLLERS: activation requests the bench's job worker keeps in flight (`startJobWorkers`'s
 * `pollersPerType`); unset, the platform's default.
 */
export function benchJobPollers(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.BENCH_JOB_POLLERS?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`BENCH_JOB_POLLERS must be a positive integer, got "${raw}"`);
  return value;
}
