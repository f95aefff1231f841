/**
 * Turns what `@kubernetes/client-node` throws into the driver errors of `workspace-driver.ts`, with a message that
 * says what the API server said and what to do:
 * - 409 (conflict, field-manager conflict) and 422 (invalid object) → `WorkspaceConflictError` (BPMN error).
 * - timeouts, refused/reset connections, 408, 429 and 5xx, and 403 "namespace is being terminated" (the previous
 *   workspace's namespace is still going away) → `WorkspaceUnavailableError` (retry with back-off).
 * - anything else (401/403 RBAC, 404 of a kind, 400, a bad kubeconfig) → `WorkspaceDriverError` (incident).
 */
import { ApiException } from '@kubernetes/client-node';
import {
  WorkspaceConflictError,
  WorkspaceDriverError,
  WorkspaceUnavailableError,
  describeRef,
  type KubeObjectRef,
} from '../workspace-driver.js';

export interface ErrorContext {
  /** What the driver was doing: `apply`, `remove`, `read`. */
  action: string;
  failed?: KubeObjectRef;
  completed?: readonly KubeObjectRef[];
}

/** The `Status` object the API server sends with a failure (only the fields used here). */
interface KubeStatus {
  message?: string;
  reason?: string;
  details?: { causes?: { type?: string; message?: string; field?: string }[] };
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'ENOTFOUND']);

export function classifyKubeError(error: unknown, context: ErrorContext): WorkspaceDriverError {
  if (error instanceof WorkspaceDriverError) return error;
  const target = context.failed ? ` ${describeRef(context.failed)}` : '';
  const base = { completed: context.completed ?? [], failed: context.failed, cause: error };

  if (error instanceof ApiException) {
    const code = error.code;
    const status = parseStatus(error.body);
    const said = status?.message ?? (typeof error.body === 'string' && error.body !== '' ? error.body.slice(0, 500) : error.message);
    const detail = describeCauses(status);
    const message = `${context.action}${target}: API server answered ${code}${status?.reason ? ` ${status.reason}` : ''}: ${said}${detail}`;
    const options = { ...base, statusCode: code };
    if (code === 409 || code === 422) return new WorkspaceConflictError(message, options);
    if (RETRYABLE_STATUS.has(code)) return new WorkspaceUnavailableError(`${message} (will retry)`, options);
    if (code === 403 && /being terminated/i.test(said)) {
      return new WorkspaceUnavailableError(`${message} (the namespace is still being deleted; will retry)`, options);
    }
    if (code === 401 || code === 403) {
      return new WorkspaceDriverError(`${message} (check the worker's credentials and RBAC role, see docs/workspaces.md)`, options);
    }
    return new WorkspaceDriverError(message, options);
  }

  if (isTimeout(error)) {
    return new WorkspaceUnavailableError(`${context.action}${target}: the API server did not answer in time (will retry)`, base);
  }
  const networkCode = networkErrorCode(error);
  if (networkCode !== undefined) {
    return new WorkspaceUnavailableError(`${context.action}${target}: cannot reach the API server (${networkCode}; will retry)`, base);
  }
  const text = error instanceof Error ? error.message : String(error);
  return new WorkspaceDriverError(`${context.action}${target} failed: ${text}`, base);
}

function parseStatus(body: unknown): KubeStatus | undefined {
  if (body !== null && typeof body === 'object') return body as KubeStatus;
  if (typeof body !== 'string' || !body.trim().startsWith('{')) return undefined;
  try {
    return JSON.parse(body) as KubeStatus;
  } catch {
    return undefined;
  }
}

/** Field-manager conflicts name the manager and field that own what we tried to set. */
function describeCauses(status: KubeStatus | undefined): string {
  const causes = status?.details?.causes ?? [];
  if (causes.length === 0) return '';
  const parts = causes.slice(0, 5).map((cause) => cause.message ?? `${cause.type ?? 'cause'} ${cause.field ?? ''}`.trim());
  return ` [${parts.join('; ')}${causes.length > 5 ? `; and ${causes.length - 5} more` : ''}]`;
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || error.name === 'TimeoutError' || (error as { type?: unknown }).type === 'aborted';
}

/** node-fetch's FetchError (`type: 'system'`) carries the socket error code, possibly on its cause. */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const code = (current as { code?: unknown; errno?: unknown }).code ?? (current as { errno?: unknown }).errno;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
