import { describe, expect, it } from 'vitest';
import type { Caller } from '../identity/caller.js';
import { callRoute } from '../platform/testing/call-route.js';
import { createUsersRouter } from './users-router.js';
import { createFakeUsersFeature } from './create-users-feature.js';

const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };

function setup() {
  const { service, store } = createFakeUsersFeature();
  store.users.set('rita', { userId: 'rita', displayName: 'Rita', roles: ['hdab-reviewer'] });
  const { users } = store;
  const router = createUsersRouter({ service });
  const [get, register] = router.routes as [(typeof router.routes)[number], (typeof router.routes)[number]];
  return { users, get, register };
}

describe('users', () => {
  it('lets an administrator register a person ahead, once; their entry is what the team rules read', async () => {
    const { users, register } = setup();
    const body = { userId: 'zoe', displayName: 'Zoe Adler', roles: ['researcher'], email: 'zoe@uni.example.org' };
    expect(await callRoute(register, { caller: adam, body })).toMatchObject({ status: 201, body: { userId: 'zoe', displayName: 'Zoe Adler', roles: ['researcher'] } });
    expect(users.get('zoe')?.roles).toEqual(['researcher']);
    expect(await callRoute(register, { caller: adam, body })).toMatchObject({ status: 409, body: { detail: expect.stringMatching(/already known/) } });
  });

  it('refuses registrations by others and bad roles', async () => {
    const { register } = setup();
    expect((await callRoute(register, { caller: rita, body: { userId: 'zoe', displayName: 'Zoe', roles: ['researcher'] } })).status).toBe(403);
    expect((await callRoute(register, { caller: adam, body: { userId: 'zoe', displayName: 'Zoe', roles: ['captain'] } })).status).toBe(400);
  });

  it('shows a known person to HDAB reviewers and administrators, 404 naming how to become known otherwise', async () => {
    const { get } = setup();
    expect(await callRoute(get, { caller: rita, params: { userId: 'rita' } })).toMatchObject({ status: 200, body: { roles: ['hdab-reviewer'] } });
    expect(await callRoute(get, { caller: adam, params: { userId: 'zoe' } })).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/first sign-in/) } });
    expect((await callRoute(get, { caller: alice, params: { userId: 'rita' } })).status).toBe(403);
  });
});
