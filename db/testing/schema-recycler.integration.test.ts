/**
 * The test databases' recycled schemas (db/testing/schema-recycler.ts): what the next test gets must be what a
 * fresh migration gives, under a name nobody used, and a schema a test changed must not come back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { insertPermit } from './permit-fixtures.js';
import { testDatabaseTargets } from './test-databases.js';

describe.each(testDatabaseTargets())('recycled test schemas on $name', (target) => {
  afterAll(() => target.dispose());

  const schemaExists = async (db: Awaited<ReturnType<typeof target.open>>, schema: string): Promise<boolean> =>
    (await db.knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema])).rows.length > 0;

  it('hands the next test an empty, migrated schema under a new name, with the rows and sequences the migrations left', async () => {
    const first = await target.open();
    const fresh = {
      head: await first.knex('audit_chain_head').select('*'),
      migrations: await first.knex('permit_knex_migrations').count({ n: '*' }),
    };
    // Rows in a table with a bigserial column (its sequence moves on), and the audit chain's head moved on.
    const event = (id: string) => ({ id, name: 'test.event', payload: JSON.stringify({}) });
    await first.knex('outbox_events').insert([event('a'), event('b'), event('c')]);
    await first.knex('audit_chain_head').update({ last_seq: 41, last_hash: 'x'.repeat(64) });
    await first.close();

    const second = await target.open();
    try {
      expect(second.schema).not.toBe(first.schema);
      expect(await schemaExists(second, first.schema)).toBe(false);
      expect(await second.knex('audit_chain_head').select('*')).toEqual(fresh.head);
      expect(fresh.head).toHaveLength(1);
      expect(await second.knex('permit_knex_migrations').count({ n: '*' })).toEqual(fresh.migrations);
      expect(Number((await second.knex('outbox_events').count({ n: '*' }))[0]!.n)).toBe(0);
      // The sequence starts again as in a fresh schema: the first event is seq 1.
      const [inserted] = await second.knex('outbox_events').insert(event('d')).returning('seq');
      expect(Number(inserted!.seq)).toBe(1);
      expect(await second.migrateLatest()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('empties every table a test wrote to (related tables, a deleted seed row, a sequence moved by a rolled-back insert)', async () => {
    const first = await target.open();
    const fresh = await first.knex('audit_chain_head').select('*');
    const tables = (await first.knex.raw<{ rows: Array<{ name: string }> }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE '%knex_migrations%'`,
      [first.schema],
    )).rows.map((row) => row.name);
    const permit = await insertPermit(first.knex);
    await first.knex('permit_members').insert({ permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' });
    await first.knex('permit_status_history').insert({ permit_id: permit.id, new_status: 'DRAFT', actor: 'alice', version: 1 });
    await first.knex('audit_chain_head').delete();
    // permit_status_history's sequence moves on though the table is left empty by the rollback.
    await first.knex
      .transaction(async (trx) => {
        await trx('permit_status_history').insert({ permit_id: permit.id, new_status: 'SUBMITTED', actor: 'alice', version: 2 });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await first.knex('permit_status_history').delete();
    await first.close();

    const second = await target.open();
    try {
      expect(second.schema).not.toBe(first.schema);
      const counts = Object.fromEntries(
        await Promise.all(tables.map(async (table) => [table, Number((await second.knex(table).count({ n: '*' }))[0]!.n)] as const)),
      );
      expect(counts).toEqual(Object.fromEntries(tables.map((table) => [table, table === 'audit_chain_head' ? 1 : 0])));
      expect(await second.knex('audit_chain_head').select('*')).toEqual(fresh);
      const again = await insertPermit(second.knex);
      const [history] = await second.knex('permit_status_history').insert({ permit_id: again.id, new_status: 'DRAFT', actor: 'alice', version: 1 }).returning('id');
      expect(Number(history!.id)).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('drops a schema whose tables a test changed instead of handing it on', async () => {
    const changed = await target.open();
    await changed.knex.raw('CREATE TABLE scratch_table (id integer)');
    await changed.close();
    const next = await target.open();
    try {
      expect(await schemaExists(next, changed.schema)).toBe(false);
      expect(await next.knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = 'scratch_table'`, [next.schema]).then((r) => r.rows)).toEqual([]);
    } finally {
      await next.close();
    }
  });

  it('drops a schema a test migrated down', async () => {
    const down = await target.open();
    await down.migrateDown(true);
    await down.close();
    const next = await target.open();
    try {
      expect(await next.knex('audit_chain_head').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
      expect(await next.migrateLatest()).toEqual([]);
    } finally {
      await next.close();
    }
  });
});
