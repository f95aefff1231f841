import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { sdkError, startTestServer, type TestServer } from '../testing/start-test-server.js';

describe('messages, signals and clock', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('publishes a message with TTL and messageId', async () => {
    const result = await server.client.publishMessage({ name: 'paid', correlationKey: 'A-1', timeToLive: 60_000, messageId: 'm-1', variables: { amount: 5 } });
    expect(result).toEqual({ tenantId: '<default>', messageKey: '2251799813687001' });
    expect(server.api.callsOf('publishMessage').at(-1)).toEqual([{ name: 'paid', correlationKey: 'A-1', timeToLive: 60_000, messageId: 'm-1', variables: { amount: 5 } }]);
  });

  it('correlates a message and maps NOT_FOUND', async () => {
    const result = await server.client.correlateMessage({ name: 'paid', correlationKey: 'A-1' });
    expect(result).toEqual({ tenantId: '<default>', messageKey: '2251799813687002', processInstanceKey: '2251799813685260' });
    server.api.failNext('correlateMessage', new EngineError('NOT_FOUND', 'no subscription for paid/A-2'));
    expect(await sdkError(() => server.client.correlateMessage({ name: 'paid', correlationKey: 'A-2' }))).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });

  it('refuses a message without a name and with unknown keys', async () => {
    expect((await sdkError(() => server.client.publishMessage({} as never))).detail).toMatch(/'name'/);
    expect((await sdkError(() => server.client.publishMessage({ name: 'x', ttl: 1 } as never))).detail).toMatch(/'ttl'/);
  });

  it('broadcasts a signal', async () => {
    expect(await server.client.broadcastSignal({ signalName: 'stop', variables: { why: 'test' } })).toEqual({ tenantId: '<default>', signalKey: '2251799813687003' });
    expect((await sdkError(() => server.client.broadcastSignal({ signalName: 5 } as never))).detail).toMatch(/'signalName'/);
  });

  it('pins and resets the clock', async () => {
    await server.client.pinClock({ timestamp: 1_800_000_000_000 });
    expect(server.api.callsOf('pinClock').at(-1)).toEqual([1_800_000_000_000]);
    await server.client.resetClock();
    expect(server.api.callsOf('resetClock')).toHaveLength(1);
    expect((await sdkError(() => server.client.pinClock({ timestamp: 'noon' } as never))).detail).toMatch(/'timestamp'/);
  });

  it('accepts int64 fields as digit strings when the client validates requests strictly', async () => {
    const strict = await startTestServer(server.api, 'req:strict,res:fanatical');
    try {
      await strict.client.pinClock({ timestamp: 1_800_000_000_001 });
      expect(server.api.callsOf('pinClock').at(-1)).toEqual([1_800_000_000_001]);
      await strict.client.publishMessage({ name: 'paid', timeToLive: 1000 });
      expect(server.api.callsOf('publishMessage').at(-1)?.[0]).toMatchObject({ timeToLive: 1000 });
    } finally {
      await strict.close();
    }
  });
});
