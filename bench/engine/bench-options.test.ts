import { describe, expect, it } from 'vitest';
import { benchClientTransport } from './bench-client.js';
import { benchJobPollers, readBenchOptions } from './bench-options.js';

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

describe('benchClientTransport', () => {
  it("uses the platform's transport unless the SDK's own is asked for, and refuses other names", () => {
    expect(benchClientTransport({})).toBe('platform');
    expect(benchClientTransport({ BENCH_CLIENT_TRANSPORT: ' sdk ' })).toBe('sdk');
    expect(() => benchClientTransport({ BENCH_CLIENT_TRANSPORT: 'undici' })).toThrow(/must be 'sdk' or 'platform'/);
  });
});

describe('benchJobPollers', () => {
  it("leaves the worker runtime's default unless a number of pollers is given, and refuses nonsense", () => {
    expect(benchJobPollers({})).toBeUndefined();
    expect(benchJobPollers({ BENCH_JOB_POLLERS: ' 1 ' })).toBe(1);
    expect(() => benchJobPollers({ BENCH_JOB_POLLERS: '0' })).toThrow(/BENCH_JOB_POLLERS must be a positive integer/);
  });
});
