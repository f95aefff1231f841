/**
 * Starts one of the benchmark's TypeScript thread entries in a worker thread of this process.
 */
import { Worker } from 'node:worker_threads';

export function startThread(entry: string, data: Record<string, unknown>): Worker {
  return new Worker(new URL('./thread-bootstrap.mjs', import.meta.url), { workerData: { ...data, entry } });
}

/** The next message of a given kind from the thread. */
export function nextMessage<T>(worker: Worker, kind: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (msg: { kind?: string } & T): void => {
      if (msg.kind !== kind) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(msg);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
