/**
 * One autocannon run, summed up as the figures the report prints: latency p50/p99 (ms), requests/s and the
 * responses by class. Requests/s is counted from the 2xx responses over the wall-clock time of the run.
 */
import autocannon from 'autocannon';

export interface LoadFigures {
  title: string;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  title: string;
  url: string;
  connections: number;
  /** Run this long (seconds), or … */
  durationSeconds?: number;
  /** … send exactly this many requests. */
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Per request: path and body (for requests that must differ, e.g. one review per permit). */
  nextRequest?: () => { path: string; body?: string };
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const { nextRequest } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(nextRequest
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const next = nextRequest();
                return { ...request, path: next.path, ...(next.body === undefined ? {} : { body: next.body }) };
              },
            },
          ],
        }
      : {}),
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    title: options.title,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds,
    requestsPerSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
