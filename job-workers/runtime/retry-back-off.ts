/**
 * Exponential back-off from the retries a job has left. The engine does not tell a worker how many attempts a job
 * has had, only how many retries remain, so the attempt number is inferred from the retries the diagrams give
 * their service tasks (`expectedRetries`, Zeebe's default 3): 3 left → base, 2 left → 2 × base, 1 left → 4 × base.
 * Tasks modelled with more retries than that start at the base and grow once they are below it.
 */
export interface RetryBackOffOptions {
  baseMs: number;
  maxMs: number;
  expectedRetries: number;
}

export const DEFAULT_RETRY_BACK_OFF: RetryBackOffOptions = { baseMs: 1_000, maxMs: 60_000, expectedRetries: 3 };

export function retryBackOffMs(retriesLeft: number, options: RetryBackOffOptions = DEFAULT_RETRY_BACK_OFF): number {
  const attempt = Math.max(0, options.expectedRetries - Math.max(retriesLeft, 0));
  return Math.min(options.maxMs, options.baseMs * 2 ** attempt);
}
