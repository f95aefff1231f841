/**
 * `npm run bench:start`: how long `npm start` takes from the shell until its banner, and how much memory the
 * platform holds, on an empty data folder (cold: the databases are created) and on the same folder again (warm).
 * With DATABASE_URL set, the same on PostgreSQL (a database made for the run and dropped afterwards). Figures
 * are printed against the targets of issue 17.
 *
 *   BENCH_START_COMMAND  (npm start)   what a user types
 *   BENCH_START_RUNS     (1)           warm starts to take (the median is printed)
 *   BENCH_START_SETTLE_MS (10000)      idle time after the banner before the settled memory reading
 *   DATABASE_URL                        also measure on PostgreSQL
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { measureStart, type StartFigures } from './measure-start.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const command = process.env.BENCH_START_COMMAND ?? 'npm start';
const warmRuns = positive('BENCH_START_RUNS', 1);
const settleMs = positive('BENCH_START_SETTLE_MS', 10_000);
const MB = 1024 * 1024;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** The environment of one start: its own ports, and every folder under `dataRoot`. */
async function startEnv(dataRoot: string, databaseUrl: string | undefined): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), ENGINE_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  for (const name of ['CAMUNDA_AUTH_STRATEGY', 'CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_BASIC_AUTH_PASSWORD', 'ZEEBE_REST_ADDRESS', 'AMQP_URL', 'SMTP_URL', 'SLACK_TOKEN', 'OIDC_ISSUER', 'PUBLIC_URL']) delete env[name];
  Object.assign(env, {
    DATABASE_DIR: join(dataRoot, 'database'),
    ENGINE_DATA_DIR: join(dataRoot, 'engine'),
    PERMIT_DATA_DIR: join(dataRoot, 'permits'),
    NOTIFICATION_OUTBOX_DIR: join(dataRoot, 'outbox'),
    WORKSPACE_MANIFESTS_DIR: join(dataRoot, 'workspaces'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  return env;
}

interface Row {
  database: string;
  start: 'cold' | 'warm';
  figures: StartFigures;
}

async function series(database: string, databaseUrl: string | undefined): Promise<Row[]> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'spe-bench-start-'));
  try {
    const run = async (): Promise<StartFigures> => measureStart({ command, cwd: REPO_ROOT, env: await startEnv(dataRoot, databaseUrl), timeoutMs: 180_000, settleMs });
    process.stdout.write(`  ${database} cold… `);
    const cold = await run();
    console.log(describe(cold));
    const warm: StartFigures[] = [];
    for (let i = 1; i <= warmRuns; i += 1) {
      process.stdout.write(`  ${database} warm ${i}/${warmRuns}… `);
      warm.push(await run());
      console.log(describe(warm.at(-1)!));
    }
    warm.sort((a, b) => a.readyMs - b.readyMs);
    return [
      { database, start: 'cold', figures: cold },
      { database, start: 'warm', figures: warm[Math.floor(warm.length / 2)]! },
    ];
  } finally {
    rmSync(dataRoot, { recursive: true, force: true });
  }
}

function describe(f: StartFigures): string {
  const figures = `ready in ${(f.readyMs / 1000).toFixed(1)} s, peak ${(f.peakRssBytes / MB).toFixed(0)} MB, settled ${(f.settledRssBytes / MB).toFixed(0)} MB`;
  return f.fromSources ? `${figures} (from the TypeScript sources: the build was stale; npm run build:server first to measure what npm ci gives)` : figures;
}

/** A database of its own on the server DATABASE_URL points at, so the cold start really starts from nothing. */
async function withScratchDatabase<T>(databaseUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `spe_bench_start_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    try {
      return await use(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

function print(rows: Row[]): void {
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(11) : c.padStart(12))).join(' ');
  console.log('');
  console.log(line(['database', 'start', 'ready s', 'peak MB', 'settled MB', 'ran']));
  for (const { database, start, figures } of rows) {
    console.log(line([database, start, (figures.readyMs / 1000).toFixed(1), (figures.peakRssBytes / MB).toFixed(0), (figures.settledRssBytes / MB).toFixed(0), figures.fromSources ? 'sources' : 'build']));
  }
  const cold = rows.find((r) => r.database === 'PGlite' && r.start === 'cold')?.figures;
  const warm = rows.find((r) => r.database === 'PGlite' && r.start === 'warm')?.figures;
  if (cold && warm) {
    const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    console.log('');
    console.log('Targets (issue 17), embedded:');
    console.log(`  resident memory, warm, settled   ${(warm.settledRssBytes / MB).toFixed(0)} MB   target ≤ 300 MB   ${verdict(warm.settledRssBytes <= 300 * MB)}`);
    console.log(`  first start to ready             ${(cold.readyMs / 1000).toFixed(1)} s   target ≤ 8 s   ${verdict(cold.readyMs <= 8_000)}`);
    console.log(`  first start, peak memory         ${(cold.peakRssBytes / MB).toFixed(0)} MB   target ≤ 500 MB   ${verdict(cold.peakRssBytes <= 500 * MB)}`);
  }
  console.log('');
  console.log(`"${command}" from the shell until "SPE platform ready"; memory of the platform's node process (/proc: VmHWM for the peak, VmRSS ${settleMs / 1000} s after the banner for settled). Other load on the machine counts too: compare runs made together.`);
}

async function main(): Promise<void> {
  console.log(`Start benchmark: "${command}" in ${REPO_ROOT}, ${warmRuns} warm start(s) per database`);
  const rows = await series('PGlite', undefined);
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) rows.push(...(await withScratchDatabase(databaseUrl, (url) => series('PostgreSQL', url))));
  else console.log('DATABASE_URL is unset: PGlite only (set it to measure on PostgreSQL too).');
  print(rows);
}

main().catch((error: unknown) => {
  console.error(`bench:start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
