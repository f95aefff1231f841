import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './dev-memory-store.js';

describe('the development OpenID Provider store', () => {
  it('finds what was stored until it expires', async () => {
    let clock = 1_000_000;
    const store = createMemoryStore(() => clock);
    const codes = store.adapter('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'alice' }, 60);
    expect(await codes.find('c1')).toEqual({ accountId: 'alice' });
    expect(await store.adapter('RefreshToken').find('c1'), 'models do not share ids').toBeUndefined();
    clock += 60_000;
    expect(await codes.find('c1')).toBeUndefined();
    expect(store.size()).toBe(0);
  });

  it('marks an entry consumed, and destroys it', async () => {
    const store = createMemoryStore(() => 5_000);
    const codes = store.adapter('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'alice' }, 60);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(5);
    await codes.destroy('c1');
    expect(await codes.find('c1')).toBeUndefined();
  });

  it('finds a session by its uid', async () => {
    const store = createMemoryStore();
    await store.adapter('Session').upsert('s1', { uid: 'u1', accountId: 'bob' }, 3600);
    expect((await store.adapter('Session').findByUid('u1'))?.accountId).toBe('bob');
    expect(await store.adapter('Session').findByUid('u2')).toBeUndefined();
  });

  it('revoking a grant removes every token issued under it, and only those', async () => {
    const store = createMemoryStore();
    await store.adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 900);
    await store.adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 3600);
    await store.adapter('RefreshToken').upsert('r2', { grantId: 'g2' }, 3600);
    await store.adapter('AccessToken').revokeByGrantId('g1');
    expect(await store.adapter('AccessToken').find('a1')).toBeUndefined();
    expect(await store.adapter('RefreshToken').find('r1')).toBeUndefined();
    expect(await store.adapter('RefreshToken').find('r2')).toEqual({ grantId: 'g2' });
  });

  it('keeps stores apart', async () => {
    const one = createMemoryStore();
    const two = createMemoryStore();
    await one.adapter('Grant').upsert('g1', { accountId: 'alice' }, 60);
    expect(await two.adapter('Grant').find('g1')).toBeUndefined();
  });
});
