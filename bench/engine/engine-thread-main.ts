/**
 * Runs inside a worker thread: starts the engine and reports its URL to the parent thread; stops it when
 * the parent says so; answers `cpu` with this thread's CPU time so far (thread-cpu.ts). Gives the engine its
 * own core, as a server of its own would have, in one process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startEngine } from '../../engine/index.js';
import { threadCpuMs } from './thread-cpu.js';

const { databaseUrl, schema } = workerData as { databaseUrl: string; schema: string };
const engine = await startEngine({ port: 0, databaseUrl, schema, logLevel: 'warn' });
parentPort!.postMessage({ kind: 'ready', url: engine.url, credentials: engine.credentials });
parentPort!.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'stop') void engine.stop().then(() => parentPort!.postMessage({ kind: 'stopped' }));
  else if (msg.kind === 'cpu') parentPort!.postMessage({ kind: 'cpu', ms: threadCpuMs() });
});
