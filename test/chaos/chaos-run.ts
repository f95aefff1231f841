/**
 * The chaos run (`npm run test:chaos`, and a short one in the integration tests): permits driven through their whole
 * lifecycle at once by the demo's own runner, over a gateway in front of two Permit Manager instances (API + job
 * workers + relay each) on one PostgreSQL database, with one engine process (`npm run engine` on PostgreSQL, with
 * a credential). Meanwhile instances are SIGKILLed at random moments and started again, and RabbitMQ and the SMTP
 * server are cut off for a while (TCP proxies between the platform and each). Afterwards `verifyChaos` checks that
 * nothing was lost or done twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDemoApi } from '../../demo/demo-api.js';
import { runDemo, type DemoReporter, type DemoResult } from '../../demo/run-demo.js';
import { DEMO_STEPS } from '../../demo/demo-steps.js';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../job-workers/notification/testing/local-smtp-server.js';
import { startTcpProxy, type TcpProxy } from '../../rest-api/events/testing/tcp-proxy.js';
import { startEngineProcess, type EngineProcess } from '../support/engine-process.js';
import { freePort } from '../support/free-port.js';
import { startRepoProcess, waitUntilServing, type RepoProcess } from '../support/repo-process.js';
import { startAmqpCounter, type AmqpCounter } from './amqp-counter.js';
import { startHttpGateway, type Backend, type HttpGateway } from './http-gateway.js';

export interface ChaosOptions {
  /** A PostgreSQL server URL; the run creates its own database on it and drops it afterwards (unless kept). */
  databaseUrl: string;
  amqpUrl: string;
  permits: number;
  kills: number;
  /** Seed of the random moments (printed, so a run can be repeated). */
  seed: number;
  /** Mean pause between kills; default 8 s. */
  meanKillGapMs?: number;
  /** How long each outage of RabbitMQ and of SMTP lasts; default 10 s. */
  outageMs?: number;
  /** Closure's grace period; default PT5S. */
  grace?: string;
  /** Printed progress lines. */
  print: (line: string) => void;
  /** Keep the database and the scratch folder for a look afterwards. */
  keep?: boolean;
}

export interface ChaosEnvironment {
  databaseUrl: string;
  database: string;
  scratch: string;
  exchange: string;
  smtp: LocalSmtpServer;
  amqp: AmqpCounter;
  gateway: HttpGateway;
  killed: number;
  restarts: number;
  outages: string[];
  /** Incidents the operator retried once the outage that caused them was over (listed by the API). */
  incidentsRetried: string[];
  results: DemoResult[];
  failures: string[];
  ms: number;
  /** Stops everything and drops the database (unless kept); after verifying. */
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, so a run's moments can be repeated. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Instance {
  backend: Backend;
  process?: RepoProcess;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosEnvironment> {
  const { print } = options;
  const random = seededRandom(options.seed);
  const started = Date.now();
  const database = `spe_chaos_${options.seed}_${process.pid}`;
  const databaseUrl = withDatabase(options.databaseUrl, database);
  const scratch = await mkdtemp(join(tmpdir(), 'spe-chaos-'));
  const exchange = `spe.chaos.${options.seed}.${process.pid}`;
  const closers: Array<() => Promise<unknown>> = [];

  // Ctrl-C (or a CI timeout) must not leave the engine and the instances running, nor the database behind.
  const interrupted = (signal: NodeJS.Signals) => {
    print(`${signal}: stopping the instances and the engine, dropping the database…`);
    void closeAll(closers).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  closers.unshift(async () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  });
  await admin(options.databaseUrl, `CREATE DATABASE "${database}"`);
  closers.push(async () => {
    if (!options.keep) await admin(options.databaseUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });
  closers.push(async () => {
    if (!options.keep) await rm(scratch, { recursive: true, force: true });
  });

  let engine: EngineProcess | undefined;
  const instances: Instance[] = [];
  let gateway: HttpGateway | undefined;
  let amqpCounter: AmqpCounter | undefined;
  let smtp: LocalSmtpServer | undefined;
  try {
    // The outside world: the broker (through a proxy we can cut) and a mail server (likewise).
    const broker = new URL(options.amqpUrl);
    amqpCounter = await startAmqpCounter(options.amqpUrl, exchange);
    closers.push(() => amqpCounter!.close());
    const amqpProxy: TcpProxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    closers.push(() => amqpProxy.close());
    smtp = await startLocalSmtpServer();
    closers.push(() => smtp!.close());
    const smtpProxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(smtp.url).port) });
    closers.push(() => smtpProxy.close());
    const platformAmqpUrl = new URL(options.amqpUrl);
    platformAmqpUrl.hostname = '127.0.0.1';
    platformAmqpUrl.port = String(amqpProxy.port);

    // One engine on PostgreSQL, with a credential, as `npm run engine`.
    engine = await startEngineProcess({
      port: await freePort(),
      env: { DATABASE_URL: databaseUrl, ENGINE_DATABASE_SCHEMA: 'engine', ENGINE_DATA_DIR: join(scratch, 'engine') },
      startTimeoutMs: 60_000,
    });
    closers.push(() => engine!.stop());
    print(`engine on PostgreSQL (database ${database}) at ${engine.url}`);

    const platformEnv = (port: number): Record<string, string | undefined> => ({
      PORT: String(port),
      PUBLIC_URL: gateway!.url,
      DATABASE_URL: databaseUrl,
      ZEEBE_REST_ADDRESS: engine!.url,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: engine!.credentials.username,
      CAMUNDA_BASIC_AUTH_PASSWORD: engine!.credentials.password,
      AMQP_URL: platformAmqpUrl.toString(),
      AMQP_EXCHANGE: exchange,
      SMTP_URL: `smtp://127.0.0.1:${smtpProxy.port}`,
      // Shared by the instances: the development issuer's key (tokens valid on both) and the workspace objects.
      PERMIT_DATA_DIR: join(scratch, 'permits'),
      WORKSPACE_MANIFESTS_DIR: join(scratch, 'workspaces'),
      NOTIFICATION_OUTBOX_DIR: join(scratch, 'outbox'),
      // The airlock's files and the partial tus uploads: an upload created on one instance may be continued, and its
      // delivery scanned and released from quarantine, on the other (no malware scanner: the HDAB releases each one).
      AIRLOCK_DIR: join(scratch, 'airlock'),
      AIRLOCK_UPLOAD_DIR: join(scratch, 'uploads'),
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      ENGINE_DATA_DIR: undefined,
      ENGINE_DATABASE_SCHEMA: undefined,
    });
    const startInstance = async (instance: Instance): Promise<void> => {
      const child = startRepoProcess({ entry: 'platform/main.ts', env: platformEnv(instance.backend.port) });
      instance.process = child;
      // Health, not readiness: readiness is red while RabbitMQ is cut off, and the instance serves anyway.
      await waitUntilServing(child, `http://127.0.0.1:${instance.backend.port}/api/health`, `instance ${instance.backend.name}`, 120_000);
      instance.backend.up = true;
    };
    for (const name of ['a', 'b']) instances.push({ backend: { name, port: await freePort(), up: false } });
    // The gateway first: its URL is every instance's PUBLIC_URL (the issuer of the development tokens, links).
    gateway = await startHttpGateway(instances.map((i) => i.backend));
    closers.push(() => gateway!.close());
    closers.push(async () => {
      for (const instance of instances) await instance.process?.stop(10_000);
    });
    for (const instance of instances) {
      await startInstance(instance); // one after the other: the first creates the schema and the issuer key
      print(`instance ${instance.backend.name} up on port ${instance.backend.port}, behind the gateway ${gateway.url}`);
    }

    // The permits, each driven by the demo's runner through the gateway.
    const stepsDone = new Map<number, number>();
    const failures: string[] = [];
    const results: DemoResult[] = [];
    const quiet = (n: number): DemoReporter => ({
      permitReady: () => undefined,
      stepStarted: () => undefined,
      stepWaiting: () => undefined,
      stepFinished: (index) => void stepsDone.set(n, index + 1),
      platformOutage: () => undefined,
    });
    // The drivers' polling is load too: many permits look less often, so the instances spend the machine on the work.
    const pollMs = Math.max(1_500, options.permits * 50);
    const drivers = Array.from({ length: options.permits }, async (_, n) => {
      await sleep(Math.floor(random() * Math.min(10_000, options.permits * 100)));
      // A change answered 503 or whose answer was lost is checked and made again by the runner itself (demo-api.ts);
      // under kills that can happen many times to one step, so the bound is generous.
      const api = createDemoApi({ baseUrl: gateway!.url, outageTimeoutMs: 15 * 60_000 });
      try {
        results.push(
          await runDemo({ api, reporter: quiet(n), deletionGracePeriod: options.grace ?? 'PT5S', stepTimeoutMs: 30 * 60_000, pollMs, fullSnapshotMs: 3 * pollMs, maxLostAnswers: 200 }),
        );
      } catch (error) {
        failures.push(`permit #${n}: ${error instanceof Error ? error.message : String(error)}`);
        print(`  ✗ permit #${n} stopped: ${failures.at(-1)}`);
      }
    });
    const all = Promise.all(drivers);
    let done = false;
    void all.finally(() => (done = true));

    // Chaos: kills at random moments, one RabbitMQ outage and one SMTP outage.
    let killed = 0;
    let restarts = 0;
    const outages: string[] = [];
    let outageOn = 0;
    const outageMs = options.outageMs ?? 10_000;
    const meanGap = options.meanKillGapMs ?? 8_000;
    const cut = async (what: string, proxy: TcpProxy, afterMs: number) => {
      await sleep(afterMs);
      if (done) return;
      outageOn += 1;
      await proxy.down();
      print(`  ✂ ${what} unreachable for ${outageMs / 1000} s`);
      await sleep(outageMs);
      await proxy.up();
      outageOn -= 1;
      outages.push(`${what} ${outageMs / 1000} s`);
      print(`  ✓ ${what} reachable again`);
    };
    const outagesDone = Promise.all([cut('RabbitMQ', amqpProxy, 4_000 + random() * 8_000), cut('SMTP', smtpProxy, 6_000 + random() * 10_000)]);
    // The operator: once no outage is on, retries the incidents an outage raised (a step out of retries), as a
    // person would from the incident list; each one is reported.
    const incidentsRetried: string[] = [];
    const operatorApi = createDemoApi({ baseUrl: gateway.url, outageTimeoutMs: 15 * 60_000 });
    const operator = (async () => {
      while (!done) {
        await sleep(10_000);
        if (done || outageOn > 0) continue;
        const listed = await operatorApi.call<{ items: Array<{ incidentKey: string; elementId: string; errorMessage: string }> }>('adam', 'GET', '/operations/incidents').catch(() => undefined);
        for (const incident of listed?.status === 200 ? listed.body.items : []) {
          const answer = await operatorApi.call('adam', 'POST', `/operations/incidents/${incident.incidentKey}/retry`).catch(() => undefined);
          if (answer?.status === 200) {
            incidentsRetried.push(`${incident.elementId}: ${incident.errorMessage.slice(0, 160)}`);
            print(`  ⚕ operator retried incident ${incident.incidentKey} at ${incident.elementId}`);
          }
        }
      }
    })();
    const killer = (async () => {
      while (killed < options.kills && !done) {
        await sleep(meanGap * (0.5 + random()));
        if (done) break;
        const victim = instances[Math.floor(random() * instances.length)]!;
        if (!victim.backend.up) continue;
        victim.backend.up = false;
        await victim.process?.kill();
        killed += 1;
        print(`  ☠ SIGKILL instance ${victim.backend.name} (${killed}/${options.kills})`);
        await sleep(500 + random() * 2_500);
        await startInstance(victim);
        restarts += 1;
        print(`  ↻ instance ${victim.backend.name} restarted`);
      }
    })();

    let lastSteps = -1;
    let stalledSince = Date.now();
    const progress = setInterval(() => {
      const steps = [...stepsDone.values()].reduce((a, b) => a + b, 0);
      if (steps !== lastSteps) {
        lastSteps = steps;
        stalledSince = Date.now();
      } else if (Date.now() - stalledSince > 120_000) {
        // Two minutes without a step: show what the processes say, once per stall.
        stalledSince = Date.now();
        print(`  no step finished for 2 minutes; the last lines of each process:`);
        for (const instance of instances) print(`--- instance ${instance.backend.name}\n${instance.process?.output().split('\n').slice(-15).join('\n') ?? ''}`);
        print(`--- engine\n${engine!.output().split('\n').slice(-15).join('\n')}`);
      }
      print(
        `  ${Math.round((Date.now() - started) / 1000)} s: ${results.length}/${options.permits} permits closed (${failures.length} stopped), steps ${steps}/${options.permits * DEMO_STEPS.length}, ` +
          `kills ${killed}/${options.kills}, events on RabbitMQ ${amqpCounter!.counts.size} (deliveries ${amqpCounter!.total}), emails ${smtp!.received.length}, ` +
          `instances ${instances.map((i) => `${i.backend.name}:${i.backend.up ? 'up' : 'down'}`).join(' ')}`,
      );
    }, 5_000);
    try {
      await all;
      await killer;
      await outagesDone;
      await operator;
    } finally {
      clearInterval(progress);
    }
    // Let every instance be up, then let the relays drain what is left (events of the last steps).
    for (const instance of instances) if (!instance.backend.up) await startInstance(instance);
    return {
      databaseUrl,
      database,
      scratch,
      exchange,
      smtp,
      amqp: amqpCounter,
      gateway,
      killed,
      restarts,
      outages,
      incidentsRetried,
      results,
      failures,
      ms: Date.now() - started,
      close: () => closeAll(closers),
    };
  } catch (error) {
    if (engine) print(`engine output:\n${engine.output().split('\n').slice(-20).join('\n')}`);
    for (const instance of instances) if (instance.process) print(`instance ${instance.backend.name} output:\n${instance.process.output().split('\n').slice(-20).join('\n')}`);
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<unknown>>): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
}
