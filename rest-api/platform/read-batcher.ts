/**
 * Reads that arrive together share one query, as the engine's commands that arrive together share one commit.
 * Under load, `GET /api/permits/{id}` spent most of its CPU on its one query (a round trip through the pool per
 * request); batched, 50 concurrent reads cost a few queries instead of 50.
 *
 * Freshness is the same as one query per read: a batch is sent only after every read in it was asked for, so each
 * read sees every write committed before it was asked (a member removed, a status changed is seen by the very next
 * request). A read asked while a batch is running never takes that batch's answer: it waits for the next one.
 *
 * How a batch forms: the reads asked in one turn of the event loop (the requests parsed from one poll of the
 * sockets) go out together at `setImmediate`; while `maxInFlight` batches are running, new reads wait and go out
 * together as soon as one finishes. At low load that is one read per batch, sent in the same loop turn. Reads of
 * the same key in one batch are asked once and each gets its own answer from `answer`.
 *
 *   const read = createReadBatcher({
 *     keyOf: ({ id, userId }) => `${id}\u0000${userId}`,
 *     load: async (keys) => new Map(rows(keys).map((row) => [keyOfRow(row), row])),
 *     answer: (row) => toPermit(row),
 *   });
 *   const permit = await read({ id, userId }); // undefined when `load` had nothing for it
 */

export interface ReadBatcherOptions<K, R, V> {
  /** The identity of a key: equal strings are read once per batch. */
  keyOf(key: K): string;
  /** Reads a batch of distinct keys; answers what it found, by `keyOf`. Missing keys answer undefined. */
  load(keys: readonly K[]): Promise<ReadonlyMap<string, R>>;
  /** Turns a loaded row into one reader's own value (called once per reader, so readers never share objects). */
  answer(row: R): V;
  /** Batches running at once (default 2); reads asked meanwhile wait for the next. */
  maxInFlight?: number;
  /** Most distinct keys in one batch (default 256). */
  maxBatch?: number;
}

interface Waiting<K, V> {
  key: K;
  readers: { resolve(value: V | undefined): void; reject(error: unknown): void }[];
}

export type ReadBatcher<K, V> = (key: K) => Promise<V | undefined>;

export function createReadBatcher<K, R, V>(options: ReadBatcherOptions<K, R, V>): ReadBatcher<K, V> {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 256;
  let waiting = new Map<string, Waiting<K, V>>();
  let inFlight = 0;
  let scheduled = false;

  function send(): void {
    scheduled = false;
    while (waiting.size > 0 && inFlight < maxInFlight) {
      let batch: Map<string, Waiting<K, V>>;
      if (waiting.size <= maxBatch) {
        batch = waiting;
        waiting = new Map();
      } else {
        batch = new Map();
        for (const [id, entry] of waiting) {
          if (batch.size === maxBatch) break;
          batch.set(id, entry);
          waiting.delete(id);
        }
      }
      inFlight++;
      void run(batch);
    }
  }

  async function run(batch: Map<string, Waiting<K, V>>): Promise<void> {
    try {
      const rows = await options.load([...batch.values()].map((entry) => entry.key));
      for (const [id, entry] of batch) {
        const row = rows.get(id);
        for (const reader of entry.readers) {
          try {
            reader.resolve(row === undefined ? undefined : options.answer(row));
          } catch (error) {
            reader.reject(error);
          }
        }
      }
    } catch (error) {
      for (const entry of batch.values()) for (const reader of entry.readers) reader.reject(error);
    } finally {
      inFlight--;
      // The reads that waited for a free slot were all asked before now: they go out at once.
      if (waiting.size > 0) send();
    }
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const id = options.keyOf(key);
      const entry = waiting.get(id);
      if (entry) entry.readers.push({ resolve, reject });
      else waiting.set(id, { key, readers: [{ resolve, reject }] });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(send);
      }
    });
}
