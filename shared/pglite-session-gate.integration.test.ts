import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSharedPglite, type SharedPglite } from './open-knex.js';

/**
 * Two components on one in-memory PGlite, as `npm start` runs the engine and the Permit Manager: the Permit
 * Manager ("permits", its schema as search_path) and the engine ("engine", names its schema). Each component's
 * transaction has the session to itself; a statement that waits too long for the other's transaction fails.
 */
describe('one PGlite shared by two components', () => {
  let shared: SharedPglite;
  let permits: Knex;
  let engine: Knex;

  beforeAll(() => {
    shared = openSharedPglite({});
    engine = shared.knexFor('engine');
    permits = shared.knexFor('permits', { searchPath: ['permits'] });
  });

  beforeEach(async () => {
    await engine.raw('DROP SCHEMA IF EXISTS engine CASCADE');
    await engine.raw('CREATE SCHEMA engine');
    await engine.raw('CREATE TABLE engine.records (key int PRIMARY KEY, value text NOT NULL)');
    await permits.raw('DROP SCHEMA IF EXISTS permits CASCADE');
    await permits.raw('CREATE SCHEMA permits');
    await permits.raw('CREATE TABLE notes (id int PRIMARY KEY, text text NOT NULL)');
  });

  afterAll(async () => {
    await shared.close();
  });

  /** The engine's commit as its store makes it: one transaction of upserts. */
  const engineCommit = (key: number, value: string): Promise<void> =>
    engine.transaction(async (trx) => {
      await trx.raw('INSERT INTO engine.records (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
    });

  const engineRows = async (): Promise<Array<{ key: number; value: string }>> =>
    ((await engine.raw('SELECT key, value FROM engine.records ORDER BY key')) as { rows: Array<{ key: number; value: string }> }).rows;

  it("makes the engine wait for a Permit Manager transaction rather than run inside it; the engine's commit is its own", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let engineDone = false;
    let commit: Promise<void> | undefined;
    await expect(
      permits.transaction(async (trx) => {
        await trx('notes').insert({ id: 1, text: 'refused later' });
        // Issued while the transaction is open (as a job worker's commit can be): it waits, it does not join it.
        commit = engineCommit(1, 'engine').then(() => {
          engineDone = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(engineDone).toBe(false);
        release();
        await held;
        throw new Error('the Permit Manager refuses after all');
      }),
    ).rejects.toThrow('the Permit Manager refuses after all');
    await commit;
    expect(await engineRows()).toEqual([{ key: 1, value: 'engine' }]);
    expect(await permits('notes').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('keeps both components\' commits when they interleave outside transactions', async () => {
    await Promise.all([
      engineCommit(1, 'one'),
      permits.transaction(async (trx) => {
        await trx('notes').insert({ id: 1, text: 'a' });
      }),
      engineCommit(2, 'two'),
      permits('notes').insert({ id: 2, text: 'b' }),
    ]);
    expect(await engineRows()).toEqual([
      { key: 1, value: 'one' },
      { key: 2, value: 'two' },
    ]);
    expect(await permits('notes').orderBy('id').pluck('id')).toEqual([1, 2]);
  });

  it("makes the Permit Manager wait for the engine's own transaction rather than run inside it", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const engineWork = engine.transaction(async (trx) => {
      await trx.raw('INSERT INTO engine.records (key, value) VALUES (1, ?)', ['engine']);
      await held;
      throw new Error('engine rolls back');
    });
    // Issued while the engine's transaction is open: it must not become part of it (and be rolled back with it).
    const note = permits('notes').insert({ id: 1, text: 'own transaction' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(engineWork).rejects.toThrow('engine rolls back');
    await note;
    expect(await permits('notes').pluck('id')).toEqual([1]);
    expect(await engineRows()).toEqual([]);
  });

  it('gives each component its schema: plain names go to the Permit Manager schema', async () => {
    const rows = (await permits.raw('SELECT current_schema() AS s')) as { rows: Array<{ s: string }> };
    expect(rows.rows[0]!.s).toBe('permits');
  });
});

describe('a statement waiting for another component\'s transaction', () => {
  it('fails after the wait limit with an error naming both components, and the session goes on', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PgliteSessionGate, SessionWaitError } = await import('./pglite-session-gate.js');
    const pglite = new PGlite();
    try {
      const gate = new PgliteSessionGate(pglite, undefined, { waitLimitMs: 200 });
      const permitsSession = gate.handle('permits');
      const engineSession = gate.handle('engine');
      await permitsSession.query('BEGIN');
      const waited = engineSession.query('SELECT 1 AS one').catch((error: unknown) => error);
      const error = await waited;
      expect(error).toBeInstanceOf(SessionWaitError);
      expect((error as Error).message).toMatch(/The engine component waited 0 s for the permits component's transaction/);
      await permitsSession.query('COMMIT');
      await expect(engineSession.query<{ one: number }>('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await pglite.close();
    }
  });
});
