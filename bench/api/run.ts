/**
 * `npm run bench:api`: the Permit Manager API under concurrent load, in one process, against a bare Express 5
 * JSON GET measured in the same run (the reference). Prints p50/p99 latency, requests/s and the ratio of each
 * figure to the reference.
 *
 *   BENCH_API_CONNECTIONS (50)  concurrent connections
 *   BENCH_API_DURATION    (10)  seconds per GET run
 *   BENCH_API_REVIEWS     (300) review decisions (one per permit, set up first)
 *   DATABASE_URL                PostgreSQL for the engine and the Permit Manager (else in-memory PGlite)
 */
import { startPermitManagerForTest } from '../../test/integration/support/start-permit-manager-for-test.js';
import { as, createPermit } from '../../test/integration/support/permit-manager-client.js';
import { APPLICATION_CHECKLIST } from '../../test/integration/permit-manager/drive-permit.js';
import { startBareJsonServer } from './bare-json-server.js';
import { runLoad, type LoadFigures } from './load.js';
import { intFromEnv } from './int-from-env.js';
import { permitsAwaitingReview } from './review-fixture.js';

const connections = intFromEnv('BENCH_API_CONNECTIONS', 50);
const durationSeconds = intFromEnv('BENCH_API_DURATION', 10);
const reviews = intFromEnv('BENCH_API_REVIEWS', 300);

function row(figures: LoadFigures, reference: LoadFigures): string {
  const cells = [
    figures.title.padEnd(34),
    figures.p50Ms.toFixed(1).padStart(8),
    figures.p99Ms.toFixed(1).padStart(8),
    figures.requestsPerSecond.toFixed(0).padStart(8),
    `${(figures.requestsPerSecond / reference.requestsPerSecond).toFixed(2)}×`.padStart(9),
    `${(figures.p99Ms / Math.max(reference.p99Ms, 0.001)).toFixed(1)}×`.padStart(9),
    String(figures.non2xx + figures.errors).padStart(7),
  ];
  return cells.join(' ');
}

async function main(): Promise<void> {
  console.log(`Permit Manager API benchmark: ${connections} connections, ${durationSeconds} s per GET run, ${reviews} review decisions`);
  const bare = await startBareJsonServer();
  const reference = await runLoad({ title: 'bare Express 5 JSON GET (reference)', url: bare.url, connections, durationSeconds });
  await bare.stop();

  const pm = await startPermitManagerForTest({ logLevel: 'error', amqpUrl: undefined });
  try {
    const aliceToken = await pm.tokenFor('alice');
    const permit = await createPermit(as(pm, aliceToken));
    const getPermit = await runLoad({
      title: 'GET /api/permits/{id}',
      url: `${pm.baseUrl}/api/permits/${permit.id}`,
      connections,
      durationSeconds,
      headers: { authorization: `Bearer ${aliceToken}` },
    });

    console.log(`setting up ${reviews} permits waiting for review…`);
    const ids = await permitsAwaitingReview(pm, reviews);
    let index = 0;
    // An approval confirms the form's whole checklist (the decision listener refuses it otherwise).
    const body = JSON.stringify({ stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST });
    const review = await runLoad({
      title: 'POST /api/permits/{id}/review',
      url: pm.baseUrl,
      connections: Math.min(connections, reviews),
      amount: reviews,
      method: 'POST',
      headers: { authorization: `Bearer ${await pm.tokenFor('rita')}`, 'content-type': 'application/json' },
      nextRequest: () => ({ path: `/api/permits/${ids[index++ % ids.length] as string}/review`, body }),
    });

    console.log('');
    console.log(`${'run'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'req/s ×'.padStart(9)} ${'p99 ×'.padStart(9)} ${'errors'.padStart(7)}`);
    for (const figures of [reference, getPermit, review]) console.log(row(figures, reference));
    console.log('');
    console.log('Ratios are against the reference measured in this run (req/s: higher is better; p99: lower is better).');
    if (review.non2xx > 0) console.log(`note: ${review.non2xx} review requests did not answer 2xx`);
  } finally {
    await pm.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
