import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError, InvalidTransitionError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { defineRoute, pathParamNames, toExpressPath } from './define-route.js';
import { callRoute } from './testing/call-route.js';

const alice: Caller = { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'] };
const adam: Caller = { userId: 'adam', name: 'Adam Weber', roles: ['admin'] };

const createThing = defineRoute({
  method: 'post',
  path: '/things/{id}/parts',
  summary: 'Add a part',
  tags: ['Things'],
  auth: 'bearer',
  request: {
    params: z.object({ id: z.uuid() }),
    query: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
    body: z.object({ title: z.string().min(3), count: z.number().int().positive() }),
  },
  responses: { 201: { description: 'Added' } },
  handler: ({ params, query, body }, { caller }) => ({ id: params.id, dryRun: query.dryRun, title: body.title, count: body.count, by: caller.userId }),
});

const id = '0b6f5a4e-7a51-4b8e-9d3c-2f1e0a9b8c7d';

describe('defineRoute', () => {
  it('passes the parsed params, query and body and the caller to the handler and answers with the lowest 2xx', async () => {
    const answer = await callRoute(createThing, { caller: alice, params: { id }, body: { title: 'Wheel', count: 4 } });
    expect(answer).toMatchObject({ status: 201, body: { id, dryRun: 'false', title: 'Wheel', count: 4, by: 'alice' } });
  });

  it('answers 400 with one errors[] entry per invalid field, paths prefixed with the request part', async () => {
    const answer = await callRoute(createThing, { caller: alice, params: { id: 'nope' }, body: { title: 'ab', count: 0 } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      type: '/api/docs#problem-validation',
      title: 'Invalid request',
      errors: [{ path: 'params.id', message: expect.any(String) }],
    });
  });

  it('reports every body field at once', async () => {
    const answer = await callRoute(createThing, { caller: alice, params: { id }, body: { title: 'ab', count: 0 } });
    expect((answer.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.title', 'body.count']);
  });

  it('answers 400 for a missing required body', async () => {
    const answer = await callRoute(createThing, { caller: alice, params: { id } });
    expect(answer.status).toBe(400);
    expect((answer.body as { errors: { path: string }[] }).errors).toEqual([{ path: 'body', message: expect.any(String) }]);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const answer = await callRoute(createThing, { caller: alice, params: { id }, body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(415);
  });

  it('answers 401 on a bearer route without a caller', async () => {
    const answer = await callRoute(createThing, { params: { id }, body: { title: 'Wheel', count: 4 } });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm=/);
  });

  it('answers 403 when the caller has none of the required roles', async () => {
    const route = defineRoute({
      method: 'post', path: '/audit/verify', summary: 'Verify', tags: ['Audit'], auth: 'bearer', roles: ['admin'],
      responses: { 200: { description: 'ok' } },
      handler: () => ({ ok: true }),
    });
    expect((await callRoute(route, { caller: alice })).status).toBe(403);
    expect(await callRoute(route, { caller: adam })).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('gives public routes the caller when there is one, and undefined otherwise', async () => {
    const route = defineRoute({
      method: 'get', path: '/whoami', summary: 'Who', tags: ['X'], auth: 'public',
      responses: { 200: { description: 'ok' } },
      handler: (_input, { caller }) => ({ userId: caller?.userId ?? null }),
    });
    expect((await callRoute(route)).body).toEqual({ userId: null });
    expect((await callRoute(route, { caller: alice })).body).toEqual({ userId: 'alice' });
  });

  it('sends an empty body with the success status when the handler returns nothing', async () => {
    const route = defineRoute({
      method: 'delete', path: '/things/{id}', summary: 'Remove', tags: ['X'], auth: 'bearer',
      request: { params: z.object({ id: z.string() }) },
      responses: { 204: { description: 'Removed' } },
      handler: () => undefined,
    });
    expect(await callRoute(route, { caller: alice, params: { id: 'x' } })).toMatchObject({ status: 204, body: undefined });
  });

  it('leaves the response alone when the handler wrote it', async () => {
    const route = defineRoute({
      method: 'post', path: '/things', summary: 'Create', tags: ['X'], auth: 'bearer',
      responses: { 200: { description: 'Existing' }, 201: { description: 'Created' } },
      handler: (_input, { res }) => {
        res.status(201).set('Location', '/api/things/1').json({ id: '1' });
      },
    });
    expect(await callRoute(route, { caller: alice })).toMatchObject({ status: 201, headers: { location: '/api/things/1' }, body: { id: '1' } });
  });

  it('passes domain errors on to the error handler', async () => {
    const route = defineRoute({
      method: 'post', path: '/things/{id}/submit', summary: 'Submit', tags: ['X'], auth: 'bearer',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { description: 'ok' } },
      handler: () => {
        throw new InvalidTransitionError('A CLOSED permit cannot be submitted.', 'CLOSED', []);
      },
    });
    const answer = await callRoute(route, { caller: alice, params: { id: 'x' } });
    expect(answer.error).toBeInstanceOf(InvalidTransitionError);
    expect(answer.body).toMatchObject({ status: 409, currentStatus: 'CLOSED', allowedActions: [] });
  });

  it('passes rejected promises on as well', async () => {
    const route = defineRoute({
      method: 'get', path: '/boom', summary: 'Boom', tags: ['X'], auth: 'public',
      responses: { 200: { description: 'ok' } },
      handler: () => Promise.reject(new ConflictError('taken')),
    });
    expect((await callRoute(route)).status).toBe(409);
  });

  it('refuses text the database cannot store in the params, the query or the body, naming each field, before the handler runs', async () => {
    let ran = false;
    const route = defineRoute({
      method: 'post', path: '/things/{id}', summary: 'x', tags: ['X'], auth: 'bearer',
      request: { params: z.object({ id: z.string() }), query: z.record(z.string(), z.string()), body: z.unknown() },
      responses: { 200: { description: 'ok' } },
      handler: () => {
        ran = true;
        return { ok: true };
      },
    });
    const paths = async (call: Parameters<typeof callRoute>[1]) => {
      const answer = await callRoute(route, { caller: alice, ...call });
      return answer.status === 400 ? (answer.body as { errors: { path: string }[] }).errors.map((e) => e.path) : answer.status;
    };
    expect(await paths({ params: { id: 'a\u0000b' } })).toEqual(['params.id']);
    expect(await paths({ params: { id: 'x' }, query: { 'q\u0000': 'v', ok: '\ud800' } })).toEqual(['query.q\\u0000', 'query.ok']);
    expect(await paths({ params: { id: 'x' }, body: ['fine', { deep: 'a\u0000' }] })).toEqual(['body.1.deep']);
    expect(await paths({ params: { id: 'x' }, body: 'a\u0000' })).toEqual(['body']);
    expect(ran).toBe(false);
    // Empty parts (no query, no body, an empty array) have nothing to refuse.
    expect(await paths({ params: { id: 'x' }, query: {}, body: [] })).toBe(200);
    expect(ran).toBe(true);
  });

  it('refuses a route without a 2xx response', () => {
    expect(() =>
      defineRoute({ method: 'get', path: '/x', summary: 'x', tags: [], auth: 'public', responses: { 404: { description: 'no' } }, handler: () => 1 }),
    ).toThrow(/declares no 2xx response/);
  });

  it('refuses a params schema that lacks a path parameter', () => {
    expect(() =>
      defineRoute({
        method: 'get', path: '/permits/{id}/members/{userId}', summary: 'x', tags: [], auth: 'public',
        request: { params: z.object({ id: z.string() }) },
        responses: { 200: { description: 'ok' } },
        handler: () => 1,
      }),
    ).toThrow(/params schema lacks userId/);
  });

  it('refuses a path that does not start with a slash', () => {
    expect(() =>
      defineRoute({ method: 'get', path: 'permits', summary: 'x', tags: [], auth: 'public', responses: { 200: { description: 'ok' } }, handler: () => 1 }),
    ).toThrow(/must start with "\/"/);
  });
});

describe('path helpers', () => {
  it('turns OpenAPI path templates into Express paths', () => {
    expect(toExpressPath('/permits/{id}/members/{userId}/{teamRole}')).toBe('/permits/:id/members/:userId/:teamRole');
  });

  it('lists the template parameters', () => {
    expect(pathParamNames('/permits/{id}/egress-requests/{rid}')).toEqual(['id', 'rid']);
  });
});
