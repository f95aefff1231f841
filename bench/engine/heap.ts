/** Heap measurement helpers: a callable `gc()` even when Node was started without --expose-gc. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | undefined;

export function forceGc(): void {
  if (!cached) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') cached = existing;
    else {
      setFlagsFromString('--expose-gc');
      cached = runInNewContext('gc') as () => void;
    }
  }
  cached();
}

/** Heap used after a few full collections (lets finalizers and weak references settle between them). */
export async function settledHeapUsed(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    forceGc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}
