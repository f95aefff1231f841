import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { CommandQueue } from './command-queue.js';

/** A fake "state": a list of applied values, committed as a copy. */
function setup() {
  let memory: string[] = [];
  const committed: string[][] = [];
  let recovers = 0;
  const queue = new CommandQueue(
    {
      execute: (run) => run(),
      beforeCommit: () => undefined,
      commit: async () => {
        committed.push([...memory]);
      },
      recover: async () => {
        recovers += 1;
        memory = committed.length > 0 ? [...committed[committed.length - 1]!] : [];
      },
      afterCommit: () => undefined,
    },
    pino({ level: 'silent' }),
  );
  const apply = (v: string) => () => {
    memory.push(v);
    return v;
  };
  return { queue, apply, committed, recovers: () => recovers, memory: () => memory };
}

describe('CommandQueue', () => {
  it('commits the commands that arrive together in one batch and answers after the commit', async () => {
    const { queue, apply, committed } = setup();
    const results = await Promise.all([queue.submit(apply('a')), queue.submit(apply('b')), queue.submit(apply('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(committed).toEqual([['a'], ['a', 'b', 'c']]);
  });

  it("answers a batch's callers before the next batch executes", async () => {
    const heard: string[] = [];
    let commits = 0;
    let third: Promise<void> | undefined;
    const queue = new CommandQueue(
      {
        execute: (run) => run(),
        beforeCommit: () => undefined,
        commit: async () => {
          // A command that arrives while the second batch commits: it runs in a third batch.
          if (++commits === 2) third = queue.submit(() => void heard.push('third executed'));
        },
        recover: async () => undefined,
        afterCommit: () => undefined,
      },
      pino({ level: 'silent' }),
    );
    const first = queue.submit(() => 'first');
    // Queued behind the first batch's commit: the second batch. Its caller awaits through a few promise hops,
    // as an HTTP route does.
    const second = queue.submit(() => 'second').then(async (v) => {
      await Promise.resolve();
      heard.push(`${v} answered`);
    });
    await Promise.all([first, second]);
    await third;
    expect(heard).toEqual(['second answered', 'third executed']);
  });

  it('a refusal (EngineError) is answered and the rest of the batch still commits', async () => {
    const { queue, apply, committed } = setup();
    const refused = queue.submit(() => {
      throw new EngineError('NOT_FOUND', 'no such job');
    });
    const ok = queue.submit(apply('x'));
    await expect(refused).rejects.toMatchObject({ title: 'NOT_FOUND' });
    await expect(ok).resolves.toBe('x');
    expect(committed.at(-1)).toEqual(['x']);
  });

  it('an unexpected failure rolls its batch back, re-runs the other commands and commits nothing half-done', async () => {
    const { queue, apply, committed, recovers, memory } = setup();
    await queue.submit(apply('before'));
    const first = queue.submit(apply('a'));
    const broken = queue.submit(() => {
      memory().push('half-done');
      throw new TypeError('bug');
    });
    const last = queue.submit(apply('b'));
    await expect(broken).rejects.toMatchObject({ title: 'INTERNAL' });
    await expect(first).resolves.toBe('a');
    await expect(last).resolves.toBe('b');
    expect(recovers()).toBe(1);
    expect(committed.flat()).not.toContain('half-done');
    expect(committed.at(-1)).toEqual(['before', 'a', 'b']);
  });

  it('answers those waiting on the batch (long-polling workers) before the batch\'s own callers', async () => {
    const heard: string[] = [];
    let releaseWorker: (() => void) | undefined;
    const worker = new Promise<void>((resolve) => (releaseWorker = resolve)).then(() => heard.push('worker'));
    const queue = new CommandQueue(
      { execute: (run) => run(), beforeCommit: () => undefined, commit: async () => undefined, recover: async () => undefined, afterCommit: () => releaseWorker?.() },
      pino({ level: 'silent' }),
    );
    const caller = queue.submit(() => 'done').then(() => heard.push('caller'));
    await Promise.all([caller, worker]);
    expect(heard).toEqual(['worker', 'caller']);
  });
});
