/**
 * A shortened fuzz run inside `npm test` (FUZZ_REQUESTS, default 1500; the full 10 000 is `npm run test:fuzz`):
 * every REST route and the engine /v2 subset with hostile input, on PGlite (PostgreSQL when DATABASE_URL is set).
 * No 5xx, every error problem+json, and no batch of refusals and reads changed the database.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runFuzz } from './fuzz-run.js';

describe('fuzzing the REST API and the engine /v2', () => {
  it('answers hostile input without a 5xx, with problem+json, and refusals change nothing', async () => {
    const requests = Number(process.env.FUZZ_REQUESTS ?? 1500);
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runFuzz({ requests, seed, databaseUrl: process.env.DATABASE_URL?.trim() || undefined });
    console.log(formatReport(report));
    expect(report.requests).toBe(requests);
    expect(report.refusedBatchesChecked).toBeGreaterThan(0);
    expect(Object.keys(report.byRoute).length).toBeGreaterThan(40);
    expect(report.violations).toEqual([]);
  }, 600_000);
});
