/**
 * Prints commit throughput of the knex store (not a test, no assertions):
 *   npx tsx engine/store/testing/measure-store-throughput.ts
 * PGlite in memory and in a temporary folder always; PostgreSQL too when DATABASE_URL is set (in a
 * throw-away schema). Each batch mixes new records with updates of records from the previous batch, as the
 * engine's group commits do (an instance's element instances and variables change from batch to batch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import type { EngineRecord } from '../../runtime/records.js';
import { createKnexStore, type KnexEngineStore } from '../knex-store.js';
import { elementInstance, FIRST_KEY, processInstance, randomSchema, variable } from './store-fixtures.js';

const SECONDS_PER_RUN = Number(process.env.MEASURE_SECONDS ?? 3);
const BATCH_SIZES = [1, 10, 100, 500];

let nextKey = FIRST_KEY + 1;

/** A batch of `size` records: about 2/3 new (instance, element instances, variables), 1/3 updates of `previous`. */
function makeBatch(size: number, previous: EngineRecord[]): EngineRecord[] {
  const batch: EngineRecord[] = [];
  for (const r of previous.slice(0, Math.floor(size / 3))) {
    batch.push(r.kind === 'elementInstance' ? { ...r, state: 'COMPLETED', endDate: new Date().toISOString() } : r);
  }
  while (batch.length < size) {
    const pi = nextKey++;
    batch.push(processInstance(pi));
    for (let i = 0; i < 3 && batch.length < size; i++) batch.push(elementInstance(nextKey++, pi));
    for (let i = 0; i < 2 && batch.length < size; i++) batch.push(variable(nextKey++, pi, `var${i}`, { amount: 12.5, customer: 'ACME Ltd', items: [1, 2, 3] }));
  }
  return batch;
}

async function measure(store: KnexEngineStore, size: number): Promise<{ commitsPerSecond: number; recordsPerSecond: number; p50: number; p99: number }> {
  let previous: EngineRecord[] = [];
  const latencies: number[] = [];
  let records = 0;
  const end = performance.now() + SECONDS_PER_RUN * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    const batch = makeBatch(size, previous);
    const t0 = performance.now();
    await store.commit({ records: batch, keyHighWater: nextKey });
    latencies.push(performance.now() - t0);
    records += batch.length;
    previous = batch.filter((r) => r.kind === 'elementInstance');
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { commitsPerSecond: latencies.length / seconds, recordsPerSecond: records / seconds, p50: at(0.5), p99: at(0.99) };
}

async function run(name: string, open: () => KnexEngineStore, cleanup: () => Promise<void>): Promise<void> {
  const store = open();
  try {
    await store.migrate();
    for (const size of BATCH_SIZES) {
      const m = await measure(store, size);
      console.log(
        `${name.padEnd(18)} batch ${String(size).padStart(3)}: ${m.commitsPerSecond.toFixed(0).padStart(6)} commits/s ` +
          `${m.recordsPerSecond.toFixed(0).padStart(7)} records/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms`,
      );
    }
  } finally {
    await store.close();
    await cleanup();
  }
}

await run('PGlite (memory)', () => createKnexStore(), () => Promise.resolve());
const dir = mkdtempSync(join(tmpdir(), 'engine-measure-'));
await run('PGlite (folder)', () => createKnexStore({ dataDir: dir }), () => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const schema = randomSchema('engine_measure');
  await run('PostgreSQL', () => createKnexStore({ databaseUrl, schema }), async () => {
    const admin = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
  });
} else {
  console.log('PostgreSQL skipped: set DATABASE_URL to measure it too.');
}
