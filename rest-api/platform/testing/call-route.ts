/**
 * Runs a `defineRoute` route without HTTP, for unit tests of routers: a fake request (params, query, body,
 * headers, caller) goes through the route's validation and handler; the result is the status, headers and body
 * it answered, or the error it passed on (mapped to its problem, as the error handler would send it).
 *
 *   const answer = await callRoute(router.routes[0], { caller: alice, params: { id }, body: { ... } });
 *   expect(answer).toMatchObject({ status: 201, body: { status: 'DRAFT' } });
 */
import type { Request, Response } from 'express';
import type { Caller } from '../../identity/caller.js';
import type { Route } from '../define-route.js';
import { toProblem } from '../to-problem.js';

export interface FakeCall {
  caller?: Caller;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  /** A JSON body (sent with Content-Type: application/json). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The thrown error, when the route failed (body is then its problem document). */
  error?: unknown;
}

export async function callRoute(route: Route, call: FakeCall = {}): Promise<RouteAnswer> {
  const headers: Record<string, string> = Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  if (call.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] ??= String(JSON.stringify(call.body).length);
  }
  const req = {
    method: route.spec.method.toUpperCase(),
    originalUrl: `/api${route.spec.path}`,
    path: route.spec.path,
    params: call.params ?? {},
    query: call.query ?? {},
    body: call.body,
    headers,
    get: (name: string) => headers[name.toLowerCase()],
    header: (name: string) => headers[name.toLowerCase()],
    is: (type: string) => ((headers['content-type'] ?? '').includes(type.replace('application/*+json', 'json')) ? type : false),
  } as unknown as Request;

  const answer: RouteAnswer = { status: 200, headers: {}, body: undefined };
  let finished = false;
  const res = {
    locals: call.caller ? { caller: call.caller } : {},
    get headersSent() {
      return finished;
    },
    status(code: number) {
      answer.status = code;
      return res;
    },
    set(name: string | Record<string, string>, value?: string) {
      if (typeof name === 'string') answer.headers[name.toLowerCase()] = String(value);
      else for (const [k, v] of Object.entries(name)) answer.headers[k.toLowerCase()] = v;
      return res;
    },
    setHeader(name: string, value: string) {
      answer.headers[name.toLowerCase()] = String(value);
      return res;
    },
    getHeader: (name: string) => answer.headers[name.toLowerCase()],
    type(value: string) {
      answer.headers['content-type'] = value;
      return res;
    },
    json(body: unknown) {
      answer.body = body;
      finished = true;
      return res;
    },
    send(body: unknown) {
      answer.body = body;
      finished = true;
      return res;
    },
    end() {
      finished = true;
      return res;
    },
    write() {
      return true;
    },
    on() {
      return res;
    },
    flushHeaders() {},
  } as unknown as Response;

  let failure: unknown;
  await route.handle(req, res, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) {
    const { problem, headers: problemHeaders } = toProblem(failure, { instance: req.originalUrl });
    return { status: problem.status, headers: { ...answer.headers, ...lower(problemHeaders) }, body: problem, error: failure };
  }
  return answer;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
