/**
 * `npm run bench:api:review`: review decisions only, with the figures that say where the time goes. The
 * decisions are sent by autocannon in a child process, so `process.cpuUsage()` of this process is the platform's
 * (REST API, engine, job workers, outbox relay: all in this one process) per decision.
 *
 *   BENCH_API_REVIEWS      (300) decisions (one per permit, set up first)
 *   BENCH_API_CONNECTIONS  (50)  concurrent connections
 *   BENCH_API_CPU_PROFILE        write a V8 CPU profile of the decision phase only to this file (.cpuprofile)
 *
 * It also counts, during the decision phase, the engine calls (by path) and, on PostgreSQL, the SQL statements
 * (engine store and Permit Manager), per decision.
 *   BENCH_API_LIST_SQL           also list the SQL statements run per decision (PostgreSQL only)
 *   DATABASE_URL                 PostgreSQL for the engine and the Permit Manager (else in-memory PGlite)
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { APPLICATION_CHECKLIST } from '../../test/integration/permit-manager/drive-permit.js';
import { startPermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import { countCalls, describeCounts } from './call-counters.js';
import { intFromEnv } from './int-from-env.js';
import { permitsAwaitingReview } from './review-fixture.js';

const run = promisify(execFile);
const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

const reviews = intFromEnv('BENCH_API_REVIEWS', 300);
const connections = Math.min(intFromEnv('BENCH_API_CONNECTIONS', 50), reviews);
const profileFile = process.env.BENCH_API_CPU_PROFILE?.trim() || undefined;

interface Result { ok: number; non2xx: number; p50: number; p99: number; seconds: number; statuses: Record<string, number> }

/** One decision per permit id, `connections` at a time, from a child process. */
async function decide(url: string, token: string, ids: string[]): Promise<Result> {
  const body = JSON.stringify({ stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST });
  const options = {
    url,
    connections,
    amount: ids.length,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  };
  const script = `
    const ids = ${JSON.stringify(ids)}; let next = 0; const statuses = {};
    const options = ${JSON.stringify(options)};
    options.requests = [{ setupRequest: (r) => ({ ...r, path: '/api/permits/' + ids[next++ % ids.length] + '/review', body: ${JSON.stringify(body)} }) }];
    const started = Date.now();
    const instance = require(${JSON.stringify(autocannonPath)})(options, (e, r) => {
      if (e) throw e;
      console.log(JSON.stringify({ ok: r['2xx'], non2xx: r.non2xx, p50: r.latency.p50, p99: r.latency.p99, seconds: (Date.now() - started) / 1000, statuses }));
    });
    instance.on('response', (client, status) => { statuses[status] = (statuses[status] ?? 0) + 1; });`;
  const { stdout } = await run(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Result;
}

async function main(): Promise<void> {
  const pm = await startPermitManagerForTest({ logLevel: process.env.TEST_LOG_LEVEL ?? 'error', amqpUrl: undefined });
  try {
    console.log(`setting up ${reviews} permits waiting for review…`);
    const ids = await permitsAwaitingReview(pm, reviews);
    const token = await pm.tokenFor('rita');
    const session = profileFile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const counter = countCalls();
    const cpu = process.cpuUsage();
    const result = await decide(pm.baseUrl, token, ids);
    const used = process.cpuUsage(cpu);
    const counts = counter.stop();
    if (session && profileFile) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
    const cpuMs = (used.user + used.system) / 1000;
    console.log(
      [
        `review decisions: ${reviews} at ${connections} connections`,
        `  ${(result.ok / result.seconds).toFixed(1)} decisions/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.seconds.toFixed(2)} s`,
        `  platform CPU ${(cpuMs / reviews).toFixed(2)} ms per decision (${((cpuMs / 1000 / result.seconds) * 100).toFixed(0)} % of one core)`,
        `  answers: ${JSON.stringify(result.statuses)}`,
        ...describeCounts(counts, reviews, process.env.DATABASE_URL?.trim() ? 'postgresql' : 'pglite', Boolean(process.env.BENCH_API_LIST_SQL)),
        ...(profileFile ? [`  CPU profile of the decision phase: ${profileFile}`] : []),
      ].join('\n'),
    );
  } finally {
    await pm.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
