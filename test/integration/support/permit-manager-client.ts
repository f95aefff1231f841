/**
 * A small HTTP client for integration tests of the Permit Manager: requests as a given user, answers with
 * status, headers and parsed body, and helpers that drive a permit through its lifecycle over the API.
 */
import { waitFor } from '../../support/wait-for.js';
import type { PermitManagerForTest } from './start-permit-manager-for-test.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text (for malformed JSON); sent as application/json. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Bearer token; undefined = no Authorization header. */
  token?: string | undefined;
}

export async function request<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}/api${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = {};
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export interface PermitBody {
  id: string;
  status: string;
  version: number;
  allowedActions: string[];
  [key: string]: unknown;
}

export interface TaskBody {
  userTaskKey: string;
  formId: string | null;
  name: string;
  dueDate: string | null;
  permit: { id: string; status: string };
}

/** Calls the API as one user. */
export function as(pm: PermitManagerForTest, token: string) {
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => request<T>(pm.baseUrl, 'GET', path, { token, ...(headers ? { headers } : {}) }),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      request<T>(pm.baseUrl, 'POST', path, { token, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) }),
    delete: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => request<T>(pm.baseUrl, 'DELETE', path, { token, ...(headers ? { headers } : {}) }),
  };
}

export type ApiUser = ReturnType<typeof as>;

export function expectStatus<T>(answer: Answer<T>, status: number, what: string): Answer<T> {
  if (answer.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

export const APPLICATION = {
  title: 'Cardiovascular outcomes cohort',
  purpose: 'Estimate long-term cardiovascular outcomes in a registry cohort',
  validUntil: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(),
};

export async function createPermit(user: ApiUser, overrides: Record<string, unknown> = {}): Promise<PermitBody> {
  return expectStatus(await user.post<PermitBody>('/permits', { ...APPLICATION, ...overrides }), 201, 'create permit').body;
}

export async function waitForStatus(user: ApiUser, permitId: string, status: string): Promise<PermitBody> {
  let last = '';
  return waitFor(
    `permit ${permitId} to reach ${status}`,
    async () => {
      const answer = await user.get<PermitBody>(`/permits/${permitId}`);
      last = answer.body.status;
      return answer.body.status === status ? answer.body : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 25 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last status ${last}`);
  });
}

/** Waits until the user's inbox holds a task with this form for the permit, and returns it. */
export async function waitForTask(user: ApiUser, permitId: string, formId: string): Promise<TaskBody> {
  return waitFor(
    `a ${formId} task for permit ${permitId}`,
    async () => (await user.get<TaskBody[]>('/tasks')).body.find((task) => task.permit.id === permitId && task.formId === formId),
    { timeoutMs: 20_000, intervalMs: 25 },
  );
}

/**
 * Waits until the engine has a subscription open for the message (the process is waiting for it), so that the
 * API call that sends it is accepted at once.
 */
export async function waitForSubscription(pm: PermitManagerForTest, messageName: string, correlationKey: string): Promise<void> {
  await waitFor(
    `the process to wait for ${messageName} (${correlationKey})`,
    async () => {
      const result = await pm.camunda.searchMessageSubscriptions({ filter: { messageName, correlationKey, messageSubscriptionState: 'CREATED' } } as never, { consistency: { waitUpToMs: 0 } });
      return (result.items ?? []).length > 0;
    },
    { timeoutMs: 20_000, intervalMs: 25 },
  );
}
