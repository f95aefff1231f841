/**
 * `npm run bench:api:cpu`: server CPU per request (ms) for the bare Express reference and `GET /api/permits/{id}`,
 * a figure that holds on a busy machine where requests/s do not. The load generator (autocannon) runs in a child
 * process, so `process.cpuUsage()` of this process is the server's (and the platform's idle work) alone.
 *
 *   BENCH_API_REQUESTS (3000)  requests per run (one warm-up run first); the GET runs once on one permit and once
 *                              on 100 permits at random
 *   BENCH_API_CPU_PROFILE      write a V8 CPU profile of the measured GET run only to this file (.cpuprofile);
 *                              `node bench/api/profile-summary.mjs <file>` sums its self time by function and file
 *   DATABASE_URL               PostgreSQL for the engine and the Permit Manager (else in-memory PGlite)
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { as, createPermit } from '../../test/integration/support/permit-manager-client.js';
import { startPermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import { startBareJsonServer } from './bare-json-server.js';

const run = promisify(execFile);
const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
const amount = Number(process.env.BENCH_API_REQUESTS ?? 3000);
if (!Number.isInteger(amount) || amount < 1) throw new Error(`BENCH_API_REQUESTS must be a positive whole number (got "${process.env.BENCH_API_REQUESTS}")`);
const profileFile = process.env.BENCH_API_CPU_PROFILE?.trim() || undefined;
const spreadOver = 100;

interface Figures { title: string; cpuMsPerRequest: number; systemMsPerRequest: number; seconds: number; ok: number; p50: number; p99: number }

/** `paths`: each request asks one of them at random (else `url` every time). */
async function load(url: string, headers: Record<string, string>, paths?: readonly string[]): Promise<{ ok: number; p50: number; p99: number }> {
  const options = JSON.stringify({ url, connections: 50, amount, headers });
  const spread = paths ? `o.requests = [{ setupRequest: (r) => ({ ...r, path: p[Math.floor(Math.random() * p.length)] }) }];` : '';
  const script = `const o = ${options}; const p = ${JSON.stringify(paths ?? [])}; ${spread} require(${JSON.stringify(autocannonPath)})(o, (e, r) => { if (e) throw e; console.log(JSON.stringify({ ok: r['2xx'], p50: r.latency.p50, p99: r.latency.p99 })); });`;
  const { stdout } = await run(process.execPath, ['-e', script], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as { ok: number; p50: number; p99: number };
}

async function measure(title: string, url: string, headers: Record<string, string> = {}, profileTo?: string, paths?: readonly string[]): Promise<Figures> {
  await load(url, headers, paths);
  const session = profileTo ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await load(url, headers, paths);
  const used = process.cpuUsage(cpu);
  if (session && profileTo) {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(profileTo, JSON.stringify(profile));
    session.disconnect();
  }
  return { title, cpuMsPerRequest: (used.user + used.system) / 1000 / amount, systemMsPerRequest: used.system / 1000 / amount, seconds: (performance.now() - started) / 1000, ...result };
}

async function main(): Promise<void> {
  const bare = await startBareJsonServer();
  const rows = [await measure('bare Express 5 JSON GET (reference)', bare.url)];
  await bare.stop();
  const pm = await startPermitManagerForTest({ logLevel: 'error', amqpUrl: undefined, workers: false });
  try {
    const token = await pm.tokenFor('alice');
    const permit = await createPermit(as(pm, token));
    rows.push(await measure('GET /api/permits/{id}', `${pm.baseUrl}/api/permits/${permit.id}`, { authorization: `Bearer ${token}` }, profileFile));
    // The same GET spread over many permits: concurrent reads of one permit are one read in a batch
    // (rest-api/platform/read-batcher.ts), reads of different ones are not.
    const others = [permit];
    while (others.length < spreadOver) others.push(await createPermit(as(pm, token)));
    const paths = others.map((p) => `/api/permits/${p.id}`);
    rows.push(await measure(`GET /api/permits/{id}, ${spreadOver} permits`, `${pm.baseUrl}${paths[0]}`, { authorization: `Bearer ${token}` }, undefined, paths));
  } finally {
    await pm.stop();
  }
  console.log(`${'run'.padEnd(38)} ${'CPU ms/req'.padStart(11)} ${'of it sys'.padStart(10)} ${'× ref'.padStart(7)} ${'2xx'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`);
  for (const row of rows) {
    console.log(`${row.title.padEnd(38)} ${row.cpuMsPerRequest.toFixed(3).padStart(11)} ${row.systemMsPerRequest.toFixed(3).padStart(10)} ${`${(row.cpuMsPerRequest / rows[0]!.cpuMsPerRequest).toFixed(1)}×`.padStart(7)} ${String(row.ok).padStart(6)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(7)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
