import { describe, expect, it } from 'vitest';
import { createHealthRoutes, runReadinessChecks } from './health-routes.js';
import { callRoute } from './testing/call-route.js';

describe('runReadinessChecks', () => {
  it('passes when every check resolves, keeping their details', async () => {
    const report = await runReadinessChecks({ db: async () => ({ migrations: 'latest' }), broker: async () => undefined });
    expect(report).toEqual({
      status: 'pass',
      checks: {
        db: { status: 'pass', durationMs: expect.any(Number), details: { migrations: 'latest' } },
        broker: { status: 'pass', durationMs: expect.any(Number) },
      },
    });
  });

  it('fails when any check rejects or throws, naming the reason', async () => {
    const report = await runReadinessChecks({
      db: async () => undefined,
      engine: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8080')),
      broker: () => {
        throw new Error('channel closed');
      },
    });
    expect(report.status).toBe('fail');
    expect(report.checks.db?.status).toBe('pass');
    expect(report.checks.engine).toMatchObject({ status: 'fail', error: 'connect ECONNREFUSED 127.0.0.1:8080' });
    expect(report.checks.broker).toMatchObject({ status: 'fail', error: 'channel closed' });
  });

  it('fails a check that never answers once the timeout passes', async () => {
    const report = await runReadinessChecks({ engine: () => new Promise(() => {}) }, 1);
    expect(report.checks.engine).toMatchObject({ status: 'fail', error: 'no answer within 1 ms' });
  });

  it('passes with no checks at all', async () => {
    expect(await runReadinessChecks({})).toEqual({ status: 'pass', checks: {} });
  });
});

describe('health routes', () => {
  const routes = (readiness: Parameters<typeof createHealthRoutes>[0]) => {
    const [health, ready] = createHealthRoutes(readiness).routes;
    if (!health || !ready) throw new Error('expected two routes');
    return { health, ready };
  };

  it('answers liveness without checking dependencies', async () => {
    const { health } = routes({ db: () => Promise.reject(new Error('down')) });
    expect(await callRoute(health)).toMatchObject({ status: 200, body: { status: 'pass' } });
  });

  it('answers readiness 200 when all checks pass and 503 when one fails', async () => {
    expect((await callRoute(routes({ db: async () => undefined }).ready)).status).toBe(200);
    const failing = await callRoute(routes({ db: async () => undefined, broker: () => Promise.reject(new Error('down')) }).ready);
    expect(failing).toMatchObject({ status: 503, body: { status: 'fail', checks: { broker: { status: 'fail', error: 'down' } } } });
  });
});
