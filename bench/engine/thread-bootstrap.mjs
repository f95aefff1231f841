// Worker threads start without the parent's TypeScript loader: register tsx, then load the thread's
// TypeScript entry named in workerData.entry (a path relative to this folder).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.entry, import.meta.url).href);
