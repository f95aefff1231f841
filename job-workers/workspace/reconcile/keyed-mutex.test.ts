import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

describe('keyed mutex', () => {
  it('runs tasks of one key one after another, even when one fails, and other keys alongside', async () => {
    const mutex = createKeyedMutex();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = mutex.run('a', async () => {
      order.push('a1 start');
      await gate;
      order.push('a1 end');
      throw new Error('boom');
    });
    const second = mutex.run('a', async () => {
      order.push('a2');
      return 2;
    });
    const other = mutex.run('b', async () => {
      order.push('b1');
      return 'b';
    });
    expect(await other).toBe('b');
    release();
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe(2);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });
});
