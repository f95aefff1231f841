import { describe, expect, it } from 'vitest';
import { createReadBatcher } from './read-batcher.js';

interface Row {
  id: string;
  value: number;
}

/** A fake table: `load` answers what the table held when the batch started; `hold()` keeps the next loads open. */
function fakeTable(initial: Record<string, number>) {
  const table = new Map(Object.entries(initial));
  const batches: string[][] = [];
  const held: (() => void)[] = [];
  let holding = false;
  let running = 0;
  let mostRunning = 0;
  return {
    table,
    batches,
    hold: () => void (holding = true),
    releaseAll: () => {
      holding = false;
      for (const release of held.splice(0)) release();
    },
    get mostRunning() {
      return mostRunning;
    },
    async load(keys: readonly string[]): Promise<ReadonlyMap<string, Row>> {
      batches.push([...keys]);
      running++;
      mostRunning = Math.max(mostRunning, running);
      try {
        // The snapshot is taken when the query starts, as PostgreSQL's is when a statement starts.
        const found = keys.filter((key) => table.has(key)).map((key): [string, Row] => [key, { id: key, value: table.get(key) as number }]);
        if (holding) await new Promise<void>((resolve) => held.push(resolve));
        return new Map(found);
      } finally {
        running--;
      }
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createReadBatcher', () => {
  it('sends the reads asked in one turn as one batch of distinct keys, each reader with its own answer', async () => {
    const db = fakeTable({ a: 1, b: 2 });
    const read = createReadBatcher({ keyOf: (key: string) => key, load: (keys) => db.load(keys), answer: (row: Row) => ({ ...row }) });
    const answers = await Promise.all([read('a'), read('b'), read('a'), read('missing')]);
    expect(db.batches).toEqual([['a', 'b', 'missing']]);
    expect(answers).toEqual([{ id: 'a', value: 1 }, { id: 'b', value: 2 }, { id: 'a', value: 1 }, undefined]);
    expect(answers[0]).not.toBe(answers[2]);
  });

  it('never answers a read from a batch that was already running when it was asked: it sees the change made before it', async () => {
    const db = fakeTable({ a: 1 });
    const read = createReadBatcher({ keyOf: (key: string) => key, load: (keys) => db.load(keys), answer: (row: Row) => row.value });
    db.hold();
    const first = read('a');
    await turn(); // the first batch is running now, with the data as it was
    db.table.set('a', 2); // a write commits (a member removed, a status changed) …
    const second = read('a'); // … and then the next request asks
    await turn();
    db.releaseAll();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(db.batches).toEqual([['a'], ['a']]);

    // And with nothing held: a read asked after an answer was given is read again.
    db.table.set('a', 4);
    expect(await read('a')).toBe(4);
  });

  it('runs at most maxInFlight batches; the reads asked meanwhile go out together when one finishes', async () => {
    const db = fakeTable({ a: 1, b: 2, c: 3, d: 4 });
    const read = createReadBatcher({ keyOf: (key: string) => key, load: (keys) => db.load(keys), answer: (row: Row) => row.value, maxInFlight: 1 });
    db.hold();
    const first = read('a');
    await turn();
    const waiting = [read('b'), read('c')];
    await turn();
    const later = read('d');
    await turn();
    expect(db.batches).toEqual([['a']]);
    db.releaseAll();
    expect(await first).toBe(1);
    await turn();
    db.releaseAll();
    expect(await Promise.all([...waiting, later])).toEqual([2, 3, 4]);
    expect(db.batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(db.mostRunning).toBe(1);
  });

  it('splits more than maxBatch distinct keys into several batches', async () => {
    const db = fakeTable({ a: 1, b: 2, c: 3 });
    const read = createReadBatcher({ keyOf: (key: string) => key, load: (keys) => db.load(keys), answer: (row: Row) => row.value, maxBatch: 2, maxInFlight: 4 });
    expect(await Promise.all([read('a'), read('b'), read('c')])).toEqual([1, 2, 3]);
    expect(db.batches).toEqual([['a', 'b'], ['c']]);
  });

  it('rejects every read of a failed batch with the failure, and the next batch reads again', async () => {
    let fail = true;
    const read = createReadBatcher({
      keyOf: (key: string) => key,
      load: (keys) => (fail ? Promise.reject(new Error('connection lost')) : Promise.resolve(new Map(keys.map((key) => [key, key.length])))),
      answer: (length: number) => length,
    });
    const failed = await Promise.allSettled([read('a'), read('bb')]);
    expect(failed.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'fulfilled'))).toEqual(['connection lost', 'connection lost']);
    fail = false;
    expect(await read('bb')).toBe(2);
  });

  it('rejects only the reader whose answer could not be made', async () => {
    const read = createReadBatcher({
      keyOf: (key: string) => key,
      load: (keys) => Promise.resolve(new Map(keys.map((key) => [key, key]))),
      answer: (row: string) => {
        if (row === 'bad') throw new Error('unreadable row');
        return row;
      },
    });
    const [good, bad] = await Promise.allSettled([read('good'), read('bad')]);
    expect(good).toEqual({ status: 'fulfilled', value: 'good' });
    expect(bad.status).toBe('rejected');
  });
});
