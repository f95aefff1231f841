import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSharedPglite, type SharedPglite } from './open-knex.js';

/**
 * Two components on one in-memory PGlite, as `npm start` runs the engine and the Permit Manager: the Permit
 * Manager ("permits", its schema as search_path) and the engine ("engine", nestable, names its schema).
 */
describe('one PGlite shared by two components', () => {
  let shared: SharedPglite;
  let permits: Knex;
  let engine: Knex;

  beforeAll(() => {
    shared = openSharedPglite({});
    engine = shared.knexFor('engine', { nestable: true });
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

  it('lets the engine commit while a Permit Manager transaction waits for it, and keeps both when that commits', async () => {
    await permits.transaction(async (trx) => {
      await trx('notes').insert({ id: 1, text: 'before the message' });
      // The message to the engine, sent while the transaction is open; the engine commits before it answers.
      await engineCommit(1, 'correlated');
      await trx('notes').insert({ id: 2, text: 'after the message' });
    });
    expect(await engineRows()).toEqual([{ key: 1, value: 'correlated' }]);
    expect(await permits('notes').orderBy('id').pluck('id')).toEqual([1, 2]);
  });

  it("keeps the engine's commit when the Permit Manager transaction it ran inside rolls back", async () => {
    await expect(
      permits.transaction(async (trx) => {
        await trx('notes').insert({ id: 1, text: 'refused later' });
        await engineCommit(1, 'first');
        await engineCommit(2, 'second');
        await engineCommit(1, 'first, updated');
        throw new Error('the process was not waiting');
      }),
    ).rejects.toThrow('the process was not waiting');
    expect(await engineRows()).toEqual([
      { key: 1, value: 'first, updated' },
      { key: 2, value: 'second' },
    ]);
    expect(await permits('notes').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it("undoes only the engine's own work when its transaction inside another rolls back", async () => {
    await permits.transaction(async (trx) => {
      await trx('notes').insert({ id: 1, text: 'kept' });
      await expect(
        engine.transaction(async (etrx) => {
          await etrx.raw('INSERT INTO engine.records (key, value) VALUES (1, ?)', ['undone']);
          throw new Error('engine batch failed');
        }),
      ).rejects.toThrow('engine batch failed');
      // A failing engine statement does not poison the outer transaction either.
      await expect(engine.raw('INSERT INTO engine.records (key, value) VALUES (NULL, NULL)')).rejects.toThrow();
      await trx('notes').insert({ id: 2, text: 'also kept' });
    });
    expect(await engineRows()).toEqual([]);
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
