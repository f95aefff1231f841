/**
 * `npm run test:chaos`: permits through their whole lifecycle at once across two Permit Manager instances on one
 * PostgreSQL and one engine, with instances SIGKILLed and restarted and RabbitMQ and SMTP cut off for a while;
 * then checks nothing was lost or done twice and prints the counts. Exit 0 when everything holds, 1 otherwise.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run test:chaos
 *   CHAOS_PERMITS (default 100), CHAOS_KILLS (default 10), CHAOS_SEED (default: random), CHAOS_KEEP=1 keeps the database.
 */
import { runChaos } from './chaos-run.js';
import { verifyChaos } from './verify-chaos.js';

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  const amqpUrl = process.env.AMQP_URL;
  if (!databaseUrl || !amqpUrl) {
    process.stderr.write(
      'The chaos run needs PostgreSQL and RabbitMQ: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test; the run creates and drops its own database there) ' +
        'and AMQP_URL (e.g. amqp://guest:guest@127.0.0.1:5672).\n',
    );
    return 2;
  }
  const permits = whole('CHAOS_PERMITS', 100);
  const kills = whole('CHAOS_KILLS', 10);
  const seed = whole('CHAOS_SEED', Math.floor(Math.random() * 1_000_000));
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`chaos run: ${permits} permits, ${kills} kills, seed ${seed} (repeat with CHAOS_SEED=${seed})`);
  const environment = await runChaos({ databaseUrl, amqpUrl, permits, kills, seed, print, keep: process.env.CHAOS_KEEP === '1' });
  try {
    print('all drivers finished; checking what the platform left behind…');
    const verdict = await verifyChaos(environment, permits);
    print('');
    const width = Math.max(...Object.keys(verdict.counts).map((k) => k.length));
    for (const [name, value] of Object.entries(verdict.counts)) print(`  ${name.padEnd(width)}  ${value}`);
    for (const incident of environment.incidentsRetried.slice(0, 10)) print(`  incident retried: ${incident}`);
    print('');
    if (verdict.ok) print('chaos run passed: every permit CLOSED, nothing lost, nothing done twice, the audit chain verifies.');
    else {
      print(`chaos run FAILED (${verdict.problems.length} problems):`);
      for (const problem of verdict.problems.slice(0, 40)) print(`  - ${problem}`);
    }
    return verdict.ok ? 0 : 1;
  } finally {
    await environment.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The chaos run could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
