/**
 * The reference: the same diagrams on `bpmn-engine` (in memory, no durability). The service task completes
 * immediately (bpmn-elements' dummy service). Two ways of starting instances are measured: each instance a new
 * Engine on a context parsed once (the cheapest way bpmn-engine can run it; the figure the target is held to)
 * and each instance a new Engine from the XML source (bpmn-engine's documented usage, which parses every time).
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { SERVICE_TASK_BPMN, USER_TASK_BPMN } from './bench-options.js';
import { settledHeapUsed } from './heap.js';
import { progress } from './report.js';
import { runPool } from './run-pool.js';

type ModdleContext = Awaited<ReturnType<BpmnModdle['fromXML']>>;

async function parse(file: string): Promise<ModdleContext> {
  return new BpmnModdle().fromXML(await readFile(file, 'utf8'));
}

async function runToEnd(from: { moddleContext: ModdleContext } | { source: string }, n: number): Promise<void> {
  const engine = new Engine({ name: `reference-${n}`, ...from, settings: { enableDummyService: true } });
  const ended = engine.waitFor('end');
  await engine.execute();
  await ended;
}

/** Instances per second, start to end, with `concurrency` instances in flight. */
export async function referenceThroughput(
  opts: { instances: number; warmup: number; concurrency: number },
  parseEachTime = false,
): Promise<number> {
  const from = parseEachTime
    ? { source: await readFile(SERVICE_TASK_BPMN, 'utf8') }
    : { moddleContext: await parse(SERVICE_TASK_BPMN) };
  await runPool(opts.warmup, opts.concurrency, (i) => runToEnd(from, i));
  const report = progress(parseEachTime ? 'bpmn-engine instances (from source)' : 'bpmn-engine instances', opts.instances);
  const started = performance.now();
  await runPool(opts.instances, opts.concurrency, (i) => runToEnd(from, i), report);
  return opts.instances / ((performance.now() - started) / 1000);
}

/** Heap bytes per instance waiting in a user task (all instances kept running, then stopped). */
export async function referenceHeapPerWaiting(waiting: number): Promise<number> {
  const context = await parse(USER_TASK_BPMN);
  const engines: Engine[] = [];
  const before = await settledHeapUsed();
  for (let i = 0; i < waiting; i++) {
    const engine = new Engine({ name: `waiting-${i}`, moddleContext: context });
    const listener = new EventEmitter();
    const waitingAt = new Promise((resolve) => listener.once('wait', resolve));
    await engine.execute({ listener });
    await waitingAt;
    engines.push(engine);
  }
  const after = await settledHeapUsed();
  await Promise.all(engines.map((engine) => engine.stop()));
  return (after - before) / waiting;
}
