/**
 * `npx tsx bench/engine/idle-workers-cpu.ts`: what the platform's job workers cost while nothing happens. The
 * engine on PostgreSQL and a worker for every task type of `shared/task-types.ts` (`startJobWorkers`, no-op
 * handlers, the platform's keep-alive transport, 10 s long polls as the platform runs them) in this process; after
 * a settling pause it prints the process's CPU per second of idling (user + system, `process.cpuUsage`), which the
 * machine's load barely moves. Settings: DATABASE_URL, BENCH_JOB_POLLERS (`pollersPerType`; unset, the runtime's
 * default), BENCH_IDLE_SECONDS (60).
 */
import { pino } from 'pino';
import { startJobWorkers, type JobHandler } from '../../job-workers/runtime/index.js';
import { camundaTransport } from '../../rest-api/engine/camunda-fetch.js';
import { ALL_TASK_TYPES } from '../../shared/task-types.js';
import { clientSettings } from '../../test/support/camunda-client.js';
import { benchJobPollers, readBenchOptions } from './bench-options.js';
import { startEngineUnderTest } from './engine-under-test.js';
import { note, section } from './report.js';

const opts = readBenchOptions();
const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const pollers = benchJobPollers();
const engine = await startEngineUnderTest(opts.databaseUrl, 'idle');
const noop: JobHandler = async () => undefined;
const workers = startJobWorkers({
  handlers: Object.fromEntries(ALL_TASK_TYPES.map((type) => [type, noop])),
  camunda: { restAddress: engine.target.url, ...camundaTransport({ ...clientSettings(engine.target), ZEEBE_REST_ADDRESS: engine.target.url }) },
  logger: pino({ level: 'silent' }),
  pollTimeoutMs: 10_000,
  ...(pollers === undefined ? {} : { pollersPerType: pollers }),
});
section(`idle: engine + job workers for ${ALL_TASK_TYPES.length} task types, ${pollers ?? 'default'} pollers per type`);
await new Promise((resolve) => setTimeout(resolve, 5_000));
const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const used = process.cpuUsage(before);
note(`${((used.user + used.system) / 1000 / seconds).toFixed(1)} ms CPU per second over ${seconds} s`);
await workers.stop({ drainTimeoutMs: 1_000 });
await engine.close();
process.exit(0);
