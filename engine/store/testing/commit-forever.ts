/**
 * Child process for the kill -9 test: opens a PGlite store in the folder given as argv[2] and commits
 * batches without end, printing `acked <n>` after batch n's commit() resolved. The parent SIGKILLs it.
 * Batch n holds 20 variables keyed from FIRST_KEY + n * 100 and moves the high-water mark to its last key.
 */
import { createKnexStore } from '../knex-store.js';
import { FIRST_KEY, variable } from './store-fixtures.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: commit-forever.ts <data-dir>');

const store = createKnexStore({ dataDir });
await store.migrate();
process.stdout.write('ready\n');
for (let n = 1; ; n++) {
  const base = FIRST_KEY + n * 100;
  const records = Array.from({ length: 20 }, (_, i) => variable(base + i, FIRST_KEY, `b${n}v${i}`, { n, i }));
  await store.commit({ records, keyHighWater: base + 19 });
  process.stdout.write(`acked ${n}\n`);
}
