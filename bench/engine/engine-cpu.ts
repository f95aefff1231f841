/**
 * `npx tsx bench/engine/engine-cpu.ts`: part (a) of `npm run bench:engine` alone (the engine on PostgreSQL in a
 * thread of its own, the official client creating instances with `awaitCompletion`, a REST job worker in a
 * second thread), reporting the CPU time per instance of each thread besides the rate. On a busy machine the
 * rate measures the load; the engine thread's CPU per instance is the figure to compare HTTP, store and
 * commit-path changes with (PostgreSQL's backends are counted too when it runs on this machine). Settings: DATABASE_URL, BENCH_INSTANCES (3,000), BENCH_WARMUP (1,000),
 * BENCH_CONCURRENCY (64), BENCH_ROUNDS (1; each round on a fresh engine), BENCH_CLIENT_TRANSPORT (bench-client.ts).
 */
import { benchClientTransport } from './bench-client.js';
import { readBenchOptions } from './bench-options.js';
import { engineThroughput, summarizePickup } from './engine-throughput.js';
import { startEngineInThread } from './engine-under-test.js';
import { postgresCpuProbe } from './postgres-cpu.js';
import { fmt, note, section } from './report.js';

const opts = readBenchOptions({ BENCH_INSTANCES: '3000', BENCH_WARMUP: '1000', ...process.env });
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
section(`engine thread CPU per instance: ${opts.instances} instances (+${opts.warmup} warm-up) at concurrency ${opts.concurrency}, client transport ${benchClientTransport()}`);
for (let round = 1; round <= rounds; round++) {
  const engine = await startEngineInThread(opts.databaseUrl, `cpu_${round}`);
  const postgres = await postgresCpuProbe(opts.databaseUrl);
  try {
    const result = await engineThroughput(engine.target, opts, engine.engineCpuMs, { postgres: postgres.cpuMs });
    const pickup = summarizePickup(result.pickupMs);
    const toActivation = summarizePickup(result.creationToActivationMs);
    const toHandler = summarizePickup(result.activationToHandlerMs);
    const cpu = result.cpuUsPerInstance;
    note(
      `round ${round}: ${fmt.rate(result.instancesPerSecond)}; CPU per instance: engine ${fmt.us(cpu.engine)}, job worker ${fmt.us(cpu.worker)}, ` +
        `creating clients ${fmt.us(cpu.creators)}, PostgreSQL ${fmt.us(cpu.postgres)}; ${result.activationsPerInstance.toFixed(2)} activation requests per instance; pick-up p50 ${fmt.ms(pickup.p50)} p99 ${fmt.ms(pickup.p99)} ` +
        `(creation -> activation p50 ${fmt.ms(toActivation.p50)} p99 ${fmt.ms(toActivation.p99)}, activation -> handler p50 ${fmt.ms(toHandler.p50)} p99 ${fmt.ms(toHandler.p99)})`,
    );
  } finally {
    await postgres.close();
    await engine.close();
  }
}
process.exit(0);
