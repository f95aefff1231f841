/**
 * When a copy could not be sent because the mail server (or another channel's service) is away, that is an outage
 * and not a defect of the message: the job waits with a growing back-off instead of spending its three modelled
 * retries in a few seconds. How long it waits is counted in the delivery ledger (`attempts` of the copy), because
 * the engine only tells a worker how many retries are left, not how often the job has failed:
 *
 *   attempt 1 failed → wait 5 s, 2 → 10 s, 3 → 20 s, … doubling up to 5 min; after `attempts` (12) failed attempts
 *   (about 31 min of outage) the job fails as before: one retry fewer each time, an incident when none are left.
 *
 * An outage is: the server could not be reached (connection refused, reset or timed out, DNS, no greeting or a
 * broken greeting) or it answered with a transient 4xx reply (421 service not available, 450/451/452). A 5xx reply
 * (recipient refused, bad address, message rejected), an envelope without a usable address or a failed login is
 * permanent: retrying in half an hour would not help, so those keep the modelled retries and raise an incident.
 */

export interface OutageRetryPolicy {
  /** Back-off after the first failed attempt. */
  baseMs: number;
  /** The back-off stops growing here. */
  maxMs: number;
  /** Failed attempts of a copy the job waits out without using a retry. */
  attempts: number;
}

/** 5 s doubling to 5 min, 12 attempts: 5+10+20+40+80+160 s + 6 × 300 s ≈ 31 min before the modelled retries start. */
export const DEFAULT_OUTAGE_RETRY: OutageRetryPolicy = { baseMs: 5_000, maxMs: 300_000, attempts: 12 };

/** Back-off after the `attempt`-th failed attempt (1-based). */
export function outageBackOffMs(attempt: number, policy: OutageRetryPolicy = DEFAULT_OUTAGE_RETRY): number {
  const exponent = Math.min(30, Math.max(0, attempt - 1));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/** Total time the policy waits out before the job starts spending its retries (documentation and tests). */
export function outageBudgetMs(policy: OutageRetryPolicy = DEFAULT_OUTAGE_RETRY): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.attempts; attempt += 1) total += outageBackOffMs(attempt, policy);
  return total;
}

/** Node and nodemailer error codes of a server that could not be reached or dropped the connection. */
const UNREACHABLE_CODES = new Set([
  'ECONNECTION', // nodemailer: refused, closed unexpectedly, server terminated the connection
  'ETIMEDOUT', // nodemailer: connection or greeting timeout
  'ESOCKET',
  'EDNS',
  'EPROTOCOL', // nodemailer: a greeting that is not 220 (without a 5xx reply, checked first)
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

/** True when `error` says the service is away for now (worth waiting for), false when it refused for good. */
export function isDeliveryOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number' && responseCode >= 400) return responseCode < 500;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}
