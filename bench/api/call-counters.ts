/**
 * What one phase of a benchmark asks of the engine and of the database, counted in this process: every HTTP
 * request the official client sends (over Node's fetch, undici, or over node:http: rest-api/engine/camunda-fetch.ts;
 * there, requests to `/v2/…`), by method and path pattern (keys replaced by `{key}`),
 * and every statement node-postgres sends (PostgreSQL only; on PGlite nothing is counted), split into the engine's
 * store (statements naming `engine_` tables) and the Permit Manager's. Transaction control (BEGIN, COMMIT, …)
 * counts as statements: each is a round trip.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import pg from 'pg';

export interface CallCounts {
  engineCalls: Map<string, number>;
  engineStatements: number;
  permitManagerStatements: number;
  /** Statement texts (whitespace folded, cut at 160 characters) by how often they ran. */
  statements: Map<string, number>;
}

export interface CallCounter {
  /** The counts so far, and the counting stops. */
  stop(): CallCounts;
}

const pathPattern = (path: string): string => path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/{key}');

export function countCalls(): CallCounter {
  const counts: CallCounts = { engineCalls: new Map(), engineStatements: 0, permitManagerStatements: 0, statements: new Map() };
  const onRequest = (message: unknown): void => {
    const { request } = message as { request: { method: string; path: string } };
    const key = `${request.method} ${pathPattern(request.path)}`;
    counts.engineCalls.set(key, (counts.engineCalls.get(key) ?? 0) + 1);
  };
  subscribe('undici:request:create', onRequest);
  // The platform's clients send over node:http (rest-api/engine/camunda-fetch.ts); only engine paths count.
  const onHttpRequest = (message: unknown): void => {
    const { request } = message as { request: { method: string; path: string } };
    if (request.path.startsWith('/v2/')) onRequest({ request });
  };
  subscribe('http.client.request.start', onHttpRequest);
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : String((first as { text?: unknown } | null)?.text ?? '');
    const folded = text.replace(/\s+/g, ' ').slice(0, 160);
    counts.statements.set(folded, (counts.statements.get(folded) ?? 0) + 1);
    if (/engine_/.test(text)) counts.engineStatements++;
    else counts.permitManagerStatements++;
    return original.apply(this, args);
  };
  return {
    stop() {
      unsubscribe('undici:request:create', onRequest);
      unsubscribe('http.client.request.start', onHttpRequest);
      proto.query = original;
      return counts;
    },
  };
}

/**
 * Lines for the report: per decision (or request), each engine call and the statement counts; with `statements`,
 * also the most frequent statement texts.
 */
export function describeCounts(counts: CallCounts, per: number, database: 'postgresql' | 'pglite', statements = false): string[] {
  const calls = [...counts.engineCalls].sort((a, b) => b[1] - a[1]);
  const total = calls.reduce((sum, [, n]) => sum + n, 0);
  const lines = [`  engine calls ${(total / per).toFixed(1)} per decision:`, ...calls.map(([key, n]) => `    ${(n / per).toFixed(2).padStart(6)}  ${key}`)];
  if (database === 'postgresql') {
    lines.push(
      `  SQL statements per decision: Permit Manager ${(counts.permitManagerStatements / per).toFixed(1)}, engine ${(counts.engineStatements / per).toFixed(1)}`,
    );
    if (statements) {
      const top = [...counts.statements].sort((a, b) => b[1] - a[1]).slice(0, 40);
      lines.push(...top.map(([text, n]) => `    ${(n / per).toFixed(2).padStart(6)}  ${text}`));
    }
  } else {
    lines.push('  SQL statements: counted on PostgreSQL only (set DATABASE_URL)');
  }
  return lines;
}
