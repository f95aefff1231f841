/** The PGlite test target reuses a closed schema only when it is exactly as migrated, and empties it first. */
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from './test-databases.js';

describe('PGlite test databases: a closed schema is reused only as migrated', () => {
  const target = testDatabaseTargets({})[0]!;
  afterAll(() => target.dispose());

  it('empties the tables and puts back the rows the migrations wrote', async () => {
    const first = await target.open();
    await first.knex('audit_chain_head').update({ last_seq: 41 });
    await first.knex('rate_limit_counters').insert({ key: 'k', hits: 3, reset_at: new Date(Date.now() + 60_000) });
    await first.close();

    const second = await target.open();
    expect(second.schema).toBe(first.schema);
    expect((await second.knex('audit_chain_head').select('last_seq')).map((r: { last_seq: number | string }) => Number(r.last_seq))).toEqual([0]);
    expect(await second.knex('rate_limit_counters').select('key')).toEqual([]);
    await second.close();
  });

  it('gives a fresh schema after a test changed the catalog (a trigger disabled), with the trigger on again', async () => {
    const first = await target.open();
    await first.knex.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await first.close();

    const second = await target.open();
    expect(second.schema).not.toBe(first.schema);
    const triggers = (await second.knex.raw(
      `SELECT t.tgenabled::text AS enabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ?::regnamespace AND t.tgname = 'audit_log_append_only'`,
      [second.schema],
    )) as { rows: { enabled: string }[] };
    expect(triggers.rows).toEqual([{ enabled: 'O' }]);
    await second.close();
  });
});
