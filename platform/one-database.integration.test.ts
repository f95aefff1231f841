import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../rest-api/config.js';
import { startPlatform } from './start-platform.js';

/** `npm start` on embedded defaults keeps the engine and the Permit Manager in one PGlite, in one folder. */
describe('npm start without DATABASE_URL', () => {
  const root = mkdtempSync(join(tmpdir(), 'spe-one-db-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const start = () => {
    const config: Config = {
      ...loadConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', PORT: '0', PUBLIC_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' }),
      databaseUrl: undefined,
      amqpUrl: undefined,
      permitDataDir: join(root, 'permits'),
      notificationOutboxDir: join(root, 'outbox'),
      workspaceManifestsDir: join(root, 'workspaces'),
    };
    return startPlatform({
      config,
      logger: pino({ level: 'silent' }),
      embeddedEngine: { port: 0, dataDir: join(root, 'engine'), clockControlled: true },
      startWorkers: false,
      persistDevKey: false,
    });
  };

  it('keeps both in schemas engine and permits of one database beside the Permit Manager folder, across a restart', async () => {
    const first = await start();
    let processDefinitions: string[];
    try {
      expect(first.database.location).toBe(join(root, 'database'));
      const schemas = (await first.database.knex.raw(
        "SELECT table_schema AS schema, count(*)::int AS tables FROM information_schema.tables WHERE table_schema IN ('engine', 'permits', 'public') GROUP BY table_schema ORDER BY table_schema",
      )) as { rows: Array<{ schema: string; tables: number }> };
      expect(schemas.rows.map((r) => r.schema)).toEqual(['engine', 'permits']);
      expect(await first.database.knex.schema.hasTable('permits')).toBe(true);
      const engineRecords = (await first.database.knex.raw('SELECT count(*)::int AS n FROM engine.engine_records')) as { rows: Array<{ n: number }> };
      expect(engineRecords.rows[0]!.n).toBeGreaterThan(0);
      processDefinitions = first.deployed.processes.map((p) => `${p.processDefinitionId}:${p.processDefinitionVersion}`).sort();
    } finally {
      await first.stop();
    }
    // One cluster, in the one folder: none in the Permit Manager's or the engine's folder.
    expect(existsSync(join(root, 'database', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(root, 'permits', 'PG_VERSION'))).toBe(false);
    expect(existsSync(join(root, 'engine', 'PG_VERSION'))).toBe(false);

    const second = await start();
    try {
      // The same deployment, not a new version: the engine found its records again.
      expect(second.deployed.processes.map((p) => `${p.processDefinitionId}:${p.processDefinitionVersion}`).sort()).toEqual(processDefinitions);
    } finally {
      await second.stop();
    }
  }, 240_000);
});
