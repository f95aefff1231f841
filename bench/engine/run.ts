/**
 * `npm run bench:engine`: in one process, (a) our engine on PostgreSQL driven through the official client with a
 * real REST job worker, (b) the same diagram on bpmn-engine in memory, (c) job pick-up latency, (d) heap per
 * waiting user-task instance. Prints progress while it runs and a table with the targets at the end.
 * Settings: DATABASE_URL, BENCH_INSTANCES, BENCH_WARMUP, BENCH_CONCURRENCY, BENCH_WAITING, BENCH_REFERENCE_WAITING,
 * BENCH_CLIENT_TRANSPORT (bench-client.ts: the platform's keep-alive transport, the default, or the SDK's own).
 */
import { availableParallelism } from 'node:os';
import { bareExpressRequestsPerSecond } from './bare-express.js';
import { benchClientTransport } from './bench-client.js';
import { readBenchOptions, TARGETS } from './bench-options.js';
import { engineHeapPerWaiting } from './engine-heap.js';
import { engineThroughput, summarizePickup } from './engine-throughput.js';
import { startEngineInThread, startEngineUnderTest } from './engine-under-test.js';
import { postgresCpuProbe } from './postgres-cpu.js';
import { referenceHeapPerWaiting, referenceThroughput } from './reference-bpmn-engine.js';
import { fmt, note, printTable, section, type Row } from './report.js';

/** Instances for the pick-up measurements below saturation. */
const LIGHT_INSTANCES = 300;
/** A moderate load: a few instances in flight, well below saturation. */
const MODERATE_CONCURRENCY = 4;

async function main(): Promise<void> {
  const opts = readBenchOptions();
  section('settings');
  note(`PostgreSQL ${opts.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}, Node ${process.version}`);
  note(`${opts.instances} instances (+${opts.warmup} warm-up) at concurrency ${opts.concurrency}; ${opts.waiting} waiting instances`);

  section('context: bare Express 5 JSON handler over HTTP, same concurrency');
  const bareRate = await bareExpressRequestsPerSecond({ requests: opts.instances * 3, concurrency: opts.concurrency });
  note(`${bareRate.toFixed(0)} requests/s`);

  section('(b) bpmn-engine in memory, single service task (reference)');
  const referenceRate = await referenceThroughput(opts);
  note(`${fmt.rate(referenceRate)} (diagram parsed once)`);
  const referenceFromSource = await referenceThroughput(opts, true);
  note(`${fmt.rate(referenceFromSource)} (new Engine({ source }) per instance)`);

  // The engine runs in a worker thread (as its own server would, on its own core) and the job worker in
  // another (as a worker service would); the creating client stays on this thread. One process, one run.
  // BENCH_ENGINE_THREAD=0 puts the engine on this thread too.
  const inThread = process.env.BENCH_ENGINE_THREAD !== '0';
  section(`(a)+(c) our engine on PostgreSQL${inThread ? ' (engine thread)' : ''}, official client (${benchClientTransport()} transport) + REST job worker (worker thread)`);
  const throughputEngine = inThread ? await startEngineInThread(opts.databaseUrl, 'throughput') : await startEngineUnderTest(opts.databaseUrl, 'throughput');
  const postgres = await postgresCpuProbe(opts.databaseUrl);
  let throughput;
  let light;
  let moderate;
  try {
    const { target, engineCpuMs } = throughputEngine;
    throughput = await engineThroughput(target, opts, engineCpuMs, { postgres: postgres.cpuMs });
    const pickupAtLoad = summarizePickup(throughput.pickupMs);
    note(`${fmt.rate(throughput.instancesPerSecond)}; pick-up p50 ${fmt.ms(pickupAtLoad.p50)}, p99 ${fmt.ms(pickupAtLoad.p99)} over ${pickupAtLoad.count} jobs`);
    const cpu = throughput.cpuUsPerInstance;
    note(`CPU per instance: engine thread ${fmt.us(cpu.engine)}, job worker thread ${fmt.us(cpu.worker)}, creating clients ${fmt.us(cpu.creators)}, PostgreSQL ${fmt.us(cpu.postgres)}`);
    note(`${throughput.activationsPerInstance.toFixed(2)} activation requests per instance (besides its create and completion calls)`);
    note(`then ${MODERATE_CONCURRENCY} instances in flight (moderate load):`);
    moderate = await engineThroughput(target, { instances: LIGHT_INSTANCES * 2, warmup: 20, concurrency: MODERATE_CONCURRENCY }, engineCpuMs);
    note('then one instance at a time (pick-up without queueing):');
    light = await engineThroughput(target, { instances: LIGHT_INSTANCES, warmup: 20, concurrency: 1 }, engineCpuMs);
  } finally {
    await postgres.close();
    await throughputEngine.close();
  }
  const pickup = summarizePickup(throughput.pickupMs);
  const createToHandler = summarizePickup(throughput.createToHandlerMs);
  const toActivation = summarizePickup(throughput.creationToActivationMs);
  const toHandler = summarizePickup(throughput.activationToHandlerMs);
  const moderatePickup = summarizePickup(moderate.pickupMs);
  const lightPickup = summarizePickup(light.pickupMs);

  section('(d) heap per waiting user-task instance');
  const heapEngine = await startEngineUnderTest(opts.databaseUrl, 'heap');
  let heapPerWaiting;
  try {
    heapPerWaiting = await engineHeapPerWaiting(heapEngine.client, opts);
  } finally {
    await heapEngine.close();
  }
  note(`our engine: ${fmt.bytes(heapPerWaiting)} per instance`);
  const referenceHeap = await referenceHeapPerWaiting(opts.referenceWaiting);
  note(`bpmn-engine: ${fmt.bytes(referenceHeap)} per instance`);

  const ratio = throughput.instancesPerSecond / referenceRate;
  // What the machine allows at all: its cores, less nothing for the engine, shared by the clients and PostgreSQL.
  const cpu = throughput.cpuUsPerInstance;
  const othersUs = cpu.worker !== undefined && cpu.creators !== undefined ? cpu.worker + cpu.creators + (cpu.postgres ?? 0) : undefined;
  const ceiling = othersUs === undefined ? undefined : (availableParallelism() * 1e6) / othersUs;
  const rows: Row[] = [
    { metric: '(a) our engine, PostgreSQL, REST worker', value: fmt.rate(throughput.instancesPerSecond) },
    { metric: '    engine thread CPU per instance', value: fmt.us(cpu.engine) },
    { metric: '    clients + PostgreSQL CPU per instance', value: fmt.us(othersUs) },
    {
      metric: `    ceiling on ${availableParallelism()} cores with an engine costing nothing`,
      value: ceiling === undefined ? 'n/a' : `${fmt.rate(ceiling)} (${(ceiling / referenceRate).toFixed(2)}x)`,
    },
    { metric: '(b) bpmn-engine, in memory, parsed once', value: fmt.rate(referenceRate) },
    { metric: "    bpmn-engine, new Engine({ source }) each", value: fmt.rate(referenceFromSource) },
    { metric: '    bare Express JSON handler (context)', value: `${bareRate.toFixed(0)} requests/s` },
    { metric: 'ratio (a)/(b)', value: `${ratio.toFixed(2)}x`, target: `>= ${TARGETS.throughputRatio}x`, ok: ratio >= TARGETS.throughputRatio },
    { metric: '    ratio to bpmn-engine from source', value: `${(throughput.instancesPerSecond / referenceFromSource).toFixed(2)}x` },
    {
      metric: `(c) pick-up p50 / p99, ${MODERATE_CONCURRENCY} in flight`,
      value: `${fmt.ms(moderatePickup.p50)} / ${fmt.ms(moderatePickup.p99)}`,
      target: `p99 < ${TARGETS.pickupP99Ms} ms`,
      ok: moderatePickup.p99 < TARGETS.pickupP99Ms,
    },
    { metric: `    throughput at ${MODERATE_CONCURRENCY} in flight`, value: fmt.rate(moderate.instancesPerSecond) },
    {
      metric: `(c) pick-up p50 / p99 at saturation (${opts.concurrency} in flight)`,
      value: `${fmt.ms(pickup.p50)} / ${fmt.ms(pickup.p99)}`,
      target: `p99 < ${TARGETS.pickupP99Ms} ms`,
      ok: pickup.p99 < TARGETS.pickupP99Ms,
    },
    { metric: '    job creation -> activation p50 / p99', value: `${fmt.ms(toActivation.p50)} / ${fmt.ms(toActivation.p99)}` },
    { metric: '    activation -> handler p50 / p99', value: `${fmt.ms(toHandler.p50)} / ${fmt.ms(toHandler.p99)}` },
    { metric: '    create request -> handler p50 / p99', value: `${fmt.ms(createToHandler.p50)} / ${fmt.ms(createToHandler.p99)}` },
    { metric: '    pick-up p50 / p99, one instance at a time', value: `${fmt.ms(lightPickup.p50)} / ${fmt.ms(lightPickup.p99)}` },
    { metric: '    throughput one instance at a time', value: fmt.rate(light.instancesPerSecond) },
    {
      metric: `(d) heap per waiting instance (${opts.waiting})`,
      value: fmt.bytes(heapPerWaiting),
      target: `< ${fmt.bytes(TARGETS.heapPerWaitingBytes)}`,
      ok: heapPerWaiting < TARGETS.heapPerWaitingBytes,
    },
    { metric: `    bpmn-engine, same diagram (${opts.referenceWaiting})`, value: fmt.bytes(referenceHeap) },
  ];
  printTable(rows);
  note('');
  note('Pick-up: job creation = start date of the service task element instance (engine clock, ms resolution),');
  note('handler call = Date.now() on entry to the job handler; same process, same clock. At saturation the figure');
  note(`is mostly queueing: ${opts.concurrency} closed loops keep every queue full on a machine that also runs PostgreSQL,`);
  note('the clients and the worker; the moderate-load row is the pick-up itself.');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
