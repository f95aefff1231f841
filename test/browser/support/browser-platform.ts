/**
 * The platform in-process for browser tests, on embedded defaults (in-memory engine and database, the development
 * issuer with its sign-in page), on a free port known before it starts so that PUBLIC_URL (the issuer and the
 * redirect URIs) is the very origin the browser uses. The built web app (dist/web) is served at `/`; it is built
 * first when missing. With DATABASE_URL set (CI), the engine and the Permit Manager use fresh PostgreSQL schemas
 * there instead, dropped by stop(), as startPermitManagerForTest does: these tests are about the pages, and PGlite
 * (PostgreSQL in WebAssembly, in this process) took CPU the browser needs; PGlite has tests of its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startPlatform, type RunningPlatform } from '../../../platform/start-platform.js';
import { loadConfig, type Config } from '../../../rest-api/config.js';
import { freePort } from '../../support/free-port.js';
import { createPostgresSchema } from '../../support/test-database.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserPlatform {
  baseUrl: string;
  platform: RunningPlatform;
  scratch: string;
  stop(): Promise<void>;
}

/** Builds the web app once when dist/web is missing (a fresh clone that skipped `npm ci`'s prepare). */
export function ensureWebAppBuilt(): void {
  if (existsSync(join(REPO, 'dist', 'web', 'index.html'))) return;
  const result = spawnSync(process.execPath, [join(REPO, 'web', 'prepare.mjs')], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed: run `npm run build:web` and read its output');
}

export async function startBrowserPlatform(options: { configure?: (config: Config, scratch: string) => Config } = {}): Promise<BrowserPlatform> {
  ensureWebAppBuilt();
  const port = await freePort();
  const scratch = await mkdtemp(join(tmpdir(), 'spe-browser-'));
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const schemas = databaseUrl
    ? { engine: await createPostgresSchema(databaseUrl, 'browser_engine'), permits: await createPostgresSchema(databaseUrl, 'browser_pm') }
    : undefined;
  const base: Config = {
    ...loadConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent' }),
    permitDataDir: '',
    databaseUrl,
    rateLimitPerMinute: 1_000_000,
    notificationOutboxDir: join(scratch, 'outbox'),
    workspaceManifestsDir: join(scratch, 'workspaces'),
  };
  const config = options.configure ? options.configure(base, scratch) : base;
  const platform = await startPlatform({
    config,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    embeddedEngine: { port: 0, dataDir: '', clockControlled: true, ...(databaseUrl && schemas ? { databaseUrl, schema: schemas.engine.schema } : {}) },
    ...(schemas ? { databaseSchema: schemas.permits.schema } : {}),
    defaultHdabTeam: ['rita', 'victor'],
    // Less polling while idle, as test/integration/support/start-permit-manager-for-test.ts (why and figures there).
    relayPollMs: 100,
    workerPollTimeoutMs: 10_000,
    persistDevKey: false,
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    platform,
    scratch,
    async stop() {
      await platform.stop();
      await rm(scratch, { recursive: true, force: true });
      await schemas?.permits.drop();
      await schemas?.engine.drop();
    },
  };
}
