/**
 * `npm run test:fuzz`: the full fuzz run (FUZZ_REQUESTS, default 10000; FUZZ_SEED, default random) on PGlite, or
 * on PostgreSQL when DATABASE_URL is set. Prints the counts; exit 1 when any answer broke a promise.
 */
import { formatReport, runFuzz } from './fuzz-run.js';

const requests = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(requests) || requests < 1) {
  console.error('FUZZ_REQUESTS must be a whole number of requests, e.g. FUZZ_REQUESTS=10000');
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
console.log(`fuzzing with ${requests} requests on ${databaseUrl ? 'PostgreSQL' : 'PGlite'} (FUZZ_SEED=${seed} repeats this run)`);
const report = await runFuzz({ requests, seed, databaseUrl, log: (line) => console.log(line) });
console.log(formatReport(report));
process.exit(report.violations.length === 0 ? 0 : 1);
