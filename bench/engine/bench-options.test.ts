import { describe, expect, it } from 'vitest';
import { readBenchOptions } from './bench-options.js';

describe('readBenchOptions', () => {
  it('defaults to the local PostgreSQL and the sizes the issue asks for', () => {
    const opts = readBenchOptions({});
    expect(opts.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(opts.waiting).toBe(10_000);
    expect(opts.concurrency).toBeGreaterThan(0);
  });

  it('takes sizes from BENCH_* variables and refuses nonsense', () => {
    expect(readBenchOptions({ BENCH_INSTANCES: '50' }).instances).toBe(50);
    expect(() => readBenchOptions({ BENCH_CONCURRENCY: 'many' })).toThrow(/BENCH_CONCURRENCY must be a positive integer/);
  });
});
