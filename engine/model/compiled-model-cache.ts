import { createHash } from 'node:crypto';

/**
 * Compiled resources by content, least recently used first out, bounded by the total length of the sources they
 * were compiled from. Compiling a BPMN resource is a pure function of its name and bytes (no keys, clocks or
 * versions go into the compiled model: those are the deployment's), and parsing the XML is most of a deployment's
 * CPU: the product's eight diagrams take about 75 ms warm and 300 ms cold, and every platform start (and every
 * engine restart reloading its definitions) compiles them again. A cache in the module serves every engine of the
 * process, and in tests every file a worker runs (vitest.config.ts: isolate: false).
 *
 * What it hands out is a copy (structuredClone, about 1 ms for the eight diagrams), so no engine sees what another
 * did to its model.
 */
export class CompiledModelCache<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  /** `maxSourceBytes`: the most source text (in UTF-16 code units) whose compiled results are kept. */
  constructor(private readonly maxSourceBytes: number) {}

  /** The cached result for this resource, or `compile()`'s (kept when the source fits the bound). */
  async get(resourceName: string, source: string, compile: () => Promise<T>): Promise<T> {
    const key = `${resourceName}\0${createHash('sha256').update(source).digest('hex')}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits += 1;
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, cached);
      return structuredClone(cached.value);
    }
    this.misses += 1;
    const value = await compile();
    const bytes = source.length + resourceName.length;
    if (bytes > this.maxSourceBytes) return value;
    // Two callers that missed at once (two engines starting together) both get here: keep one entry, counted once.
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { value: structuredClone(value), bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxSourceBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  get sourceBytes(): number {
    return this.bytes;
  }
}
