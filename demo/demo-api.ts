/**
 * The demo's HTTP client: calls the REST API as one of the seeded users, with tokens from the development
 * issuer. A platform that is down (restarting, killed) is waited for rather than failed on: every request is
 * retried until the platform answers again or `outageTimeoutMs` passes, and the caller is told while it waits.
 * A change whose answer was lost, or answered 503, comes back as "lost in flight" for the step to check and redo.
 */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  currentStatus?: string;
  [key: string]: unknown;
}

/** The request may or may not have reached the platform: it went down while the request was in flight. */
export class PlatformUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly waitedMs: number,
    cause: unknown,
  ) {
    super(
      `The SPE platform at ${baseUrl} did not answer for ${Math.round(waitedMs / 1000)} s. Start it with \`npm start\` (or run the demo without --url to start one in this process) and run \`npm run demo -- --resume\` to continue.`,
      { cause },
    );
  }
}

export interface DemoApiOptions {
  baseUrl: string;
  /** How long to wait for a platform that does not answer before giving up; default 10 minutes. */
  outageTimeoutMs?: number;
  /** Told once when the platform stops answering, and once when it is back. */
  onOutage?: (event: { down: boolean; error?: string }) => void;
  /** Pause between attempts while the platform is down; default 500 ms. */
  retryIntervalMs?: number;
  /** Told when the API's rate limit asks the demo to slow down (it waits `Retry-After` and sends again). */
  onThrottled?: (retryAfterSeconds: number) => void;
}

/** Errors that mean "nobody answered" (refused, reset, closed mid-answer) or "a gateway answered for it". */
function errorCode(error: unknown): string | undefined {
  return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
}

function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // fetch reports every network failure as TypeError("fetch failed") with the socket error as its cause.
  return error.name === 'TypeError' || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT'].includes(errorCode(error) ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDemoApi(options: DemoApiOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const outageTimeoutMs = options.outageTimeoutMs ?? 10 * 60_000;
  const retryIntervalMs = options.retryIntervalMs ?? 500;
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  let down = false;
  let downSince = 0;
  let downtimeMs = 0;

  /**
   * One HTTP exchange, waiting out an outage. A request that never reached the platform (connection refused) is
   * sent again once it is back; one whose answer was lost (the connection dropped mid-way) is only sent again when
   * `resend` says it is safe (reads, tokens): otherwise the answer is status -1 with `flags.lostInFlight`, and the
   * caller finds out from the permit whether it took effect.
   */
  async function exchange(
    method: string,
    path: string,
    init: { body?: unknown; token?: string; resend?: boolean; idempotencyKey?: string },
    flags: { lostInFlight: boolean },
  ): Promise<ApiAnswer> {
    const started = Date.now();
    for (;;) {
      try {
        const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
        if (init.token) headers.authorization = `Bearer ${init.token}`;
        // A Buffer is a file's bytes (PUT into outputs); anything else is JSON.
        const raw = Buffer.isBuffer(init.body);
        if (init.body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
        if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
        const response = await fetch(`${baseUrl}/api${path}`, { method, headers, ...(init.body === undefined ? {} : { body: raw ? (init.body as Buffer) : JSON.stringify(init.body) }) });
        // A gateway or the platform's readiness gate answering for a platform that is still starting.
        if (response.status === 502 || response.status === 504) throw Object.assign(new Error(`HTTP ${response.status}`), { code: 'ECONNREFUSED' });
        const text = await response.text();
        if (response.status === 429) {
          // Refused before it was carried out: wait as told and send it again.
          const retryAfter = Math.min(60, Math.max(1, Number(response.headers.get('retry-after')) || 1));
          options.onThrottled?.(retryAfter);
          await sleep(retryAfter * 1000);
          continue;
        }
        if (down) {
          down = false;
          downtimeMs += Date.now() - downSince;
          options.onOutage?.({ down: false });
        }
        const body = text ? safeJson(text) : {};
        if (response.status === 503 && !(init.resend ?? method === 'GET')) {
          // A change answered 503 (e.g. the engine's deadline passed while a worker was killed) may have taken
          // effect or not, exactly like one whose answer was lost: the caller checks and acts again.
          flags.lostInFlight = true;
          const problem = body as Problem;
          return { status: -1, body: { detail: `the platform answered 503 (${problem.detail ?? problem.title ?? 'no detail'}); it may or may not have taken effect` } };
        }
        return { status: response.status, body };
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        const neverSent = errorCode(error) === 'ECONNREFUSED';
        if (!neverSent && !(init.resend ?? method === 'GET')) {
          flags.lostInFlight = true;
          return { status: -1, body: { detail: `the answer was lost: ${describe(error)}` } };
        }
        if (!down) {
          down = true;
          downSince = Date.now();
          options.onOutage?.({ down: true, error: describe(error) });
        }
        if (Date.now() - started > outageTimeoutMs) throw new PlatformUnreachableError(baseUrl, Date.now() - started, error);
        await sleep(retryIntervalMs);
      }
    }
  }

  async function tokenFor(userId: string): Promise<string> {
    const cached = tokens.get(userId);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const answer = await exchange('POST', '/dev-auth/token', { body: { userId }, resend: true }, { lostInFlight: false });
    if (answer.status !== 200) {
      const problem = answer.body as Problem;
      throw new Error(
        `Could not get a token for ${userId} (HTTP ${answer.status}: ${problem.detail ?? problem.title ?? 'no detail'}). The demo needs the development issuer: run the platform without OIDC_ISSUER and outside NODE_ENV=production.`,
      );
    }
    const { access_token: token, expires_in: expiresIn } = answer.body as { access_token: string; expires_in: number };
    tokens.set(userId, { token, expiresAt: Date.now() + expiresIn * 1000 });
    return token;
  }

  /**
   * A request as `userId`. Resolves with whatever the API answered (the steps judge the status); a change whose
   * answer was lost in an outage, or that was answered 503, resolves with status -1 and `lostInFlight: true`, so
   * the step checks whether it took effect before trying again. `idempotencyKey` is sent as `Idempotency-Key`
   * (creates: a repeat of the same create answers the first answer instead of creating a second record).
   */
  async function call<T = unknown>(
    userId: string,
    method: string,
    path: string,
    body?: unknown,
    extra: { idempotencyKey?: string } = {},
  ): Promise<ApiAnswer<T> & { lostInFlight: boolean }> {
    const flags = { lostInFlight: false };
    const init = { ...(body === undefined ? {} : { body }), ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}) };
    let answer = await exchange(method, path, { token: await tokenFor(userId), ...init }, flags);
    if (answer.status === 401) {
      // The issuer's key can change when the platform restarts with a fresh data folder: get a new token once.
      tokens.delete(userId);
      answer = await exchange(method, path, { token: await tokenFor(userId), ...init }, flags);
    }
    return { ...(answer as ApiAnswer<T>), lostInFlight: flags.lostInFlight };
  }

  /** Is anybody there? One attempt, no waiting. */
  async function isUp(): Promise<boolean> {
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      return response.ok;
    } catch {
      return false;
    }
  }

  /** How long the platform has been unreachable in all, so far (step deadlines do not count it). */
  const downtime = (): number => downtimeMs + (down ? Date.now() - downSince : 0);

  return { baseUrl, call, isUp, tokenFor, downtime };
}

export type DemoApi = ReturnType<typeof createDemoApi>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

function describe(error: unknown): string {
  const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
  return cause?.code ?? (error as Error).message;
}
