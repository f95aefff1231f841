/**
 * The one way the pages talk to the REST API: same origin, bearer token from the session, JSON in and out.
 * A problem+json answer becomes an ApiError carrying the problem (title, detail, field errors) to show as it is;
 * a 401 asks the session to sign in again (drafts are kept, see drafts.ts).
 */
import { accessToken, onUnauthorized } from '../auth/session';

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `The request failed with HTTP ${status}.`);
    this.name = 'ApiError';
  }
}

/** `extraHeaders`: e.g. `{ 'if-match': '"3"' }` for a change guarded by the ETag the page read. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  const token = await accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, { title: 'The platform did not answer', detail: 'Check your network connection and try again; nothing was changed.' });
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (response.status === 401) onUnauthorized();
  if (!response.ok) {
    const problem = (typeof parsed === 'object' && parsed !== null ? parsed : { detail: text || response.statusText }) as Problem;
    throw new ApiError(response.status, problem);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Bytes from the API with the session's token (images for reviewers, downloads), or the problem it answered. */
export async function apiBytes(path: string, init: { method?: 'GET' | 'PUT'; body?: Blob; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = await accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.contentType) headers['content-type'] = init.contentType;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method: init.method ?? 'GET', headers, ...(init.body ? { body: init.body } : {}) });
  } catch {
    throw new ApiError(0, { title: 'The platform did not answer', detail: 'Check your network connection and try again; nothing was changed.' });
  }
  if (response.status === 401) onUnauthorized();
  if (!response.ok) {
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    throw new ApiError(response.status, (typeof parsed === 'object' && parsed !== null ? parsed : { detail: text || response.statusText }) as Problem);
  }
  return response;
}

/** Saves an API file as a download under its own name. */
export async function downloadFile(path: string, name: string): Promise<void> {
  const blob = await (await apiBytes(path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
