import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';
import { LOCK_FILE } from './data-dir-lock.js';
import { PERMIT_MIGRATIONS } from './migrations/permit-migrations.js';
import { insertPermit } from './testing/permit-fixtures.js';
import { randomSchema } from './testing/test-databases.js';

const logger = pino({ level: 'silent' });
const databaseUrl = process.env.DATABASE_URL;
/** PGlite takes seconds to start on a busy machine; these tests start several. */
const SLOW = 180_000;

describe('createDatabase on PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permit-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data in the folder across close and reopen, holding the folder’s lock while open', { timeout: SLOW }, async () => {
    const db = await createDatabase({ dataDir: dir, logger });
    expect([db.dialect, db.schema, db.location]).toEqual(['pglite', 'public', dir]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    await expect(createDatabase({ dataDir: dir, logger })).rejects.toThrow('already open in this process');
    await db.migrateLatest();
    const permit = await insertPermit(db.knex);
    await db.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const reopened = await createDatabase({ dataDir: dir, logger });
    try {
      expect(await reopened.migrateLatest()).toEqual([]);
      expect(await reopened.knex('permits').pluck('id')).toEqual([permit.id]);
    } finally {
      await reopened.close();
    }
  });

  it('runs in memory with a schema of its own, reverting the last batch with migrateDown()', { timeout: SLOW }, async () => {
    const db = await createDatabase({ schema: 'permits', logger });
    try {
      expect(db.location).toBe('memory');
      await db.migrateLatest();
      const { rows } = (await db.knex.raw(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'permits'`)) as { rows: Array<{ table_schema: string }> };
      expect(rows).toEqual([{ table_schema: 'permits' }]);
      expect(await db.migrateDown()).toEqual(PERMIT_MIGRATIONS.map((m) => m.name).reverse());
    } finally {
      await db.close();
    }
  });
});

describe('createDatabase options', () => {
  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(createDatabase({ schema: 'Permits; DROP', logger })).rejects.toThrow("Schema name 'Permits; DROP' is not valid");
  });

  it('names the server, without the password, when PostgreSQL cannot be reached', async () => {
    const error = (await createDatabase({ databaseUrl: 'postgres://spe:secret@127.0.0.1:1/spe', logger }).then(
      () => new Error('expected createDatabase to fail'),
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/^Could not open the Permit Manager database \(postgres:\/\/spe:\*\*\*@127\.0\.0\.1:1\/spe, schema public\): .*Check that PostgreSQL is running/);
    expect(error.message).not.toContain('secret');
  });
});

describe.skipIf(!databaseUrl)('createDatabase on PostgreSQL', () => {
  it('creates a missing schema and points every pooled connection at it', async () => {
    const schema = randomSchema();
    const db = await createDatabase({ databaseUrl, schema, logger, poolMax: 3 });
    try {
      expect([db.dialect, db.schema]).toEqual(['postgres', schema]);
      await db.migrateLatest();
      const paths = await Promise.all(
        Array.from({ length: 3 }, () => db.knex.transaction(async (trx) => ((await trx.raw('SELECT current_schema() AS s, pg_sleep(0)')) as { rows: Array<{ s: string }> }).rows[0]!.s)),
      );
      expect(paths).toEqual([schema, schema, schema]);
      const { rows } = (await db.knex.raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name`, [schema])) as { rows: Array<{ table_name: string }> };
      expect(rows.map((r) => r.table_name)).toContain('permits');
    } finally {
      await db.knex.raw(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    }
  });
});
