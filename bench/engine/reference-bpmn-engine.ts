/**
 * The reference: the same diagrams on `bpmn-engine` (in memory, no durability). The service task completes
 * immediately (bpmn-elements' dummy service); the diagram is parsed once and each instance is a new Engine on
 * the parsed context, which is the cheapest way bpmn-engine can run it.
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

async function runToEnd(moddleContext: ModdleContext, n: number): Promise<void> {
  const engine = new Engine({ name: `reference-${n}`, moddleContext, settings: { enableDummyService: true } });
  const ended = engine.waitFor('end');
  await engine.execute();
  await ended;
}

/** Instances per second, start to end, with `concurrency` instances in flight. */
export async function referenceThroughput(opts: { instances: number; warmup: number; concurrency: number }): Promise<number> {
  const context = await parse(SERVICE_TASK_BPMN);
  await runPool(opts.warmup, opts.concurrency, (i) => runToEnd(context, i));
  const report = progress('bpmn-engine instances', opts.instances);
  const started = performance.now();
  await runPool(opts.instances, opts.concurrency, (i) => runToEnd(context, i), report);
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
