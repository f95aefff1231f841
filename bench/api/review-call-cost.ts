/**
 * `npx tsx bench/api/review-call-cost.ts`: what one engine call of a review decision costs in CPU, client and
 * engine together (both in this process), by transport, so the floor of a decision's cost can be read off: a
 * decision makes about eight engine calls (`npm run bench:api:review` counts them).
 *
 * Each variant sends the same `POST /v2/user-tasks/search` (no task matches, so the engine's own work is one small
 * query) `BENCH_CALLS` times, `BENCH_CALL_CONCURRENCY` at a time, and prints process CPU per call:
 *   - official client as the platform sets it up (HTTP Basic through the SDK's auth interceptor, eventual-consistency
 *     wrapper with waitUpToMs 0);
 *   - official client, consistency options left out (the SDK then calls at once, without its poll wrapper);
 *   - official client over `camundaTransport` (rest-api/engine/camunda-fetch.ts: node:http, Basic set while sending);
 *   - Node's fetch alone, and node:http alone with a keep-alive agent, same request (the transports' own cost);
 *   - SQL: one `SELECT 1` through knex (what one statement costs the calling side).
 *
 *   BENCH_CALLS (2000), BENCH_CALL_CONCURRENCY (10), DATABASE_URL (PostgreSQL for the engine; else PGlite)
 */
import { Agent, request as httpRequest } from 'node:http';
import { Camunda8 } from '@camunda8/sdk';
import knexFactory from 'knex';
import { pino } from 'pino';
import { startEngine } from '../../engine/index.js';
import { camundaTransport } from '../../rest-api/engine/camunda-fetch.js';
import { intFromEnv } from './int-from-env.js';

const calls = intFromEnv('BENCH_CALLS', 2000);
const concurrency = intFromEnv('BENCH_CALL_CONCURRENCY', 10);
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;

async function measure(name: string, call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await call(); // warm-up: JIT, connections
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) await call();
    }),
  );
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  console.log(`${name.padEnd(58)} ${((used.user + used.system) / 1000 / calls).toFixed(3)} ms CPU per call (${((calls / ms) * 1000).toFixed(0)} calls/s)`);
}

async function main(): Promise<void> {
  const schema = `bench_calls_${Date.now().toString(36)}`;
  const engine = await startEngine({ port: 0, logger: pino({ level: 'silent' }), ...(databaseUrl ? { databaseUrl, schema } : {}) });
  try {
    const settings = { ...engine.clientSettings, CAMUNDA_LOG_LEVEL: 'none' };
    const newClient = () => new Camunda8(settings as never).getOrchestrationClusterApiClientLoose({}, { cached: false });
    const body = { filter: { state: 'CREATED', candidateGroup: 'nobody', processInstanceVariables: [{ name: 'permitId', value: '"none"' }] }, page: { limit: 10 } };

    const platformClient = newClient();
    const transport = camundaTransport(settings);
    const hooked = new Camunda8(transport.settings as never).getOrchestrationClusterApiClientLoose({}, { cached: false });
    (hooked as unknown as { configure(next: { fetch?: typeof fetch }): void }).configure({ fetch: transport.fetch });
    const authorization = `Basic ${Buffer.from(`${engine.credentials.username}:${engine.credentials.password}`).toString('base64')}`;
    const text = JSON.stringify(body);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const variants: Array<[string, () => Promise<unknown>]> = [
      ['client, Basic via the SDK, waitUpToMs 0', () => platformClient.searchUserTasks(body as never, { consistency: { waitUpToMs: 0 } })],
      ['client, Basic via the SDK, no consistency wrapper', () => platformClient.searchUserTasks(body as never, {} as never)],
      ['client over camundaTransport (node:http), no consistency wrapper', () => hooked.searchUserTasks(body as never, {} as never)],
      [
        "Node's fetch alone",
        async () => {
          const answer = await fetch(`${engine.url}/v2/user-tasks/search`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: text });
          if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
          return answer.json();
        },
      ],
      [
        'node:http alone, keep-alive agent',
        () =>
          new Promise((resolve, reject) => {
            const request = httpRequest(
              `${engine.url}/v2/user-tasks/search`,
              { method: 'POST', agent, headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
              (answer) => {
                const chunks: Buffer[] = [];
                answer.on('data', (chunk: Buffer) => chunks.push(chunk));
                answer.on('end', () => (answer.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`HTTP ${answer.statusCode}`))));
              },
            );
            request.on('error', reject);
            request.end(text);
          }),
      ],
    ];
    // Two rounds: the first also pays for JIT compilation; compare the second.
    for (const round of [1, 2]) {
      console.log(`round ${round}`);
      for (const [name, call] of variants) await measure(name, call);
    }

    if (databaseUrl) {
      const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 1, max: concurrency } });
      try {
        await measure('SQL: SELECT 1 through knex (PostgreSQL)', () => knex.raw('SELECT 1'));
      } finally {
        await knex.destroy();
      }
    }
  } finally {
    await engine.stop();
    if (databaseUrl) {
      const knex = knexFactory({ client: 'pg', connection: databaseUrl });
      try {
        await knex.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await knex.destroy();
      }
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
