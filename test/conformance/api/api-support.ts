/**
 * Shared helpers for the REST /v2 conformance tests in this folder. Every test talks to the engine through
 * the official client (`@camunda8/sdk`) started by the conformance harness; only malformed requests that the
 * client cannot produce go through raw `fetch`.
 *
 * The client is created with response validation `res:strict`: every 2xx body is parsed with the client's own
 * zod schemas for Camunda 8.8, so a missing or mistyped field fails the call. Side effect of that parsing:
 * a few numeric fields come back as bigint (page.totalItems, job deadline, form version) — compare with Number().
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { basicAuthorization } from '../../support/camunda-client.js';
import { fixturePath, startTestEngine, type TestEngine } from '../support/harness.js';

export type { TestEngine } from '../support/harness.js';

/** Starts the engine with a client that validates every response against the 8.8 schemas. */
export async function startApiEngine(): Promise<TestEngine> {
  const previous = process.env.CAMUNDA_SDK_VALIDATION;
  process.env.CAMUNDA_SDK_VALIDATION = 'req:none,res:strict';
  try {
    return await startTestEngine();
  } finally {
    if (previous === undefined) delete process.env.CAMUNDA_SDK_VALIDATION;
    else process.env.CAMUNDA_SDK_VALIDATION = previous;
  }
}

/** The error the official client throws for a 4xx answer (HttpSdkError: status + problem fields). */
export interface ClientProblem {
  status: number;
  title?: string;
  detail?: string;
  name?: string;
  message?: string;
}

/** Awaits a call that must be refused; asserts the problem's status (and title if given) and returns it. */
export async function expectRefused(call: Promise<unknown>, status: number, title?: string): Promise<ClientProblem> {
  const outcome = await call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected HTTP ${status}, but the call succeeded with ${JSON.stringify(outcome.value)}`);
  const problem = outcome.error as ClientProblem;
  expect(problem.status, `status of ${String(problem.message)}`).toBe(status);
  if (title !== undefined) expect(problem.title).toBe(title);
  expect(typeof problem.detail, 'problem detail').toBe('string');
  expect(problem.detail?.length ?? 0).toBeGreaterThan(0);
  return problem;
}

export interface RawProblem {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/** Sends a raw request body (possibly malformed) to `/v2<path>` and returns status, content type and parsed body. */
export async function rawRequest(t: TestEngine, method: string, path: string, body?: string, contentType = 'application/json'): Promise<RawProblem> {
  const url = `${t.url.replace(/\/+$/, '').replace(/\/v2$/, '')}/v2${path}`;
  const authorization = basicAuthorization(t.credentials);
  const response = await fetch(url, {
    method,
    headers: body === undefined ? { authorization } : { authorization, 'content-type': contentType },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { unparsable: text };
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
}

/** Asserts an RFC 9457 problem document: 4xx status, problem+json content type, status/title/detail present. */
export function expectProblemDocument(problem: RawProblem, status: number): void {
  expect(problem.status, JSON.stringify(problem.body)).toBe(status);
  expect(problem.contentType).toMatch(/^application\/problem\+json/);
  expect(problem.body.status).toBe(status);
  expect(typeof problem.body.title).toBe('string');
  expect(String(problem.body.title).length).toBeGreaterThan(0);
  expect(typeof problem.body.detail).toBe('string');
  expect(String(problem.body.detail).length).toBeGreaterThan(0);
}

/** A fixture as a File for `createDeployment`, optionally under another resource name. */
export async function fixtureFile(name: string, resourceName: string = name): Promise<File> {
  return new File([await readFile(fixturePath(name))], resourceName, { type: 'application/octet-stream' });
}

export async function fixtureText(name: string): Promise<string> {
  return readFile(fixturePath(name), 'utf8');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A form schema as returned by the API, as an object (the 8.8 client types it as an object). */
export function formSchema(schema: unknown): Record<string, unknown> {
  return (typeof schema === 'string' ? JSON.parse(schema) : schema) as Record<string, unknown>;
}

/**
 * Everything observable about one process instance, to prove that a refused request changed nothing:
 * the instance, its element instances, its variables, its user tasks and incidents.
 */
export async function instanceSnapshot(t: TestEngine, processInstanceKey: string) {
  const instance = await t.getInstance(processInstanceKey);
  const elements = (await t.elementInstances(processInstanceKey)).map((e) => `${e.elementId}:${e.state}`).sort();
  const variables = await t.variables(processInstanceKey);
  const tasks = (await t.userTasks(processInstanceKey)).map((task) => `${String(task.elementId)}:${String(task.state)}:${task.assignee ?? ''}`).sort();
  const incidents = (await t.incidents(processInstanceKey)).map((i) => `${String(i.elementId)}:${String(i.state)}`).sort();
  return { state: instance.state, hasIncident: instance.hasIncident, elements, variables, tasks, incidents };
}
