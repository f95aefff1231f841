import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { callRoute } from '../platform/testing/call-route.js';
import { createFakePermitsFeature } from './create-permits-feature.js';
import { createPermitsRouter } from './permits-router.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const ID = '12345678-1234-4234-8234-123456789012';

function setup() {
  const { store, engine, service } = createFakePermitsFeature({ defaultHdabTeam: ['rita'], newId: () => ID });
  const router = createPermitsRouter({ service });
  const route = (method: string, path: string) => {
    const found = router.routes.find((r) => r.spec.method === method && r.spec.path === path);
    if (!found) throw new Error(`no route ${method} ${path}`);
    return found;
  };
  return { store, engine, route };
}

const body = { title: 'Registry study', purpose: 'Outcomes in a national registry', validUntil: '2099-01-01T00:00:00Z' };

describe('permits router', () => {
  it('creates a permit: 201 with Location and the version as ETag', async () => {
    const { route } = setup();
    const answer = await callRoute(route('post', '/permits'), { caller: alice, body });
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toBe(`/api/permits/${ID}`);
    expect(answer.headers.etag).toBe('"1"');
  });

  it('refuses non-researchers and unknown fields before the service runs', async () => {
    const { store, route } = setup();
    expect((await callRoute(route('post', '/permits'), { caller: rita, body })).status).toBe(403);
    const answer = await callRoute(route('post', '/permits'), { caller: alice, body: { ...body, status: 'APPROVED' } });
    expect(answer.status).toBe(400);
    expect(store.permits.size).toBe(0);
  });

  it('passes If-Match to the service: 412 when stale, 202 with the ETag when current', async () => {
    const { route, engine } = setup();
    await callRoute(route('post', '/permits'), { caller: alice, body });
    engine.expectMessage(MESSAGES.applicationSubmitted, ID);
    const stale = await callRoute(route('post', '/permits/{id}/submit'), { caller: alice, params: { id: ID }, headers: { 'if-match': '"5"' } });
    expect(stale.status).toBe(412);
    const accepted = await callRoute(route('post', '/permits/{id}/submit'), { caller: alice, params: { id: ID }, headers: { 'if-match': '"1"' } });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.etag).toBe('"1"');
  });

  it('answers 404 problem for a permit the caller is not on', async () => {
    const { route } = setup();
    await callRoute(route('post', '/permits'), { caller: alice, body });
    const answer = await callRoute(route('get', '/permits/{id}'), { caller: { userId: 'bob', name: 'Bob', roles: ['researcher'] }, params: { id: ID } });
    expect(answer.status).toBe(404);
  });
});
