/** What a change wrote, for tests that check a change wrote everything or nothing. */
import type { Knex } from 'knex';
import { TABLES } from '../types.js';

export interface RowCounts {
  history: number;
  audit: number;
  outbox: number;
  chainHead: number;
}

export async function rowCounts(knex: Knex): Promise<RowCounts> {
  const count = async (table: string): Promise<number> => Number(((await knex(table).count({ n: '*' })) as Array<{ n: string | number }>)[0]!.n);
  const head = (await knex(TABLES.auditChainHead).first('last_seq')) as { last_seq: string | number };
  return {
    history: await count(TABLES.permitStatusHistory),
    audit: await count(TABLES.auditLog),
    outbox: await count(TABLES.outboxEvents),
    chainHead: Number(head.last_seq),
  };
}

/** Makes every INSERT into `table` fail (as a broken disk or a constraint would), to test rollbacks. */
export async function breakInserts(knex: Knex, table: string): Promise<void> {
  await knex.raw(`CREATE FUNCTION test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'insert refused by test'; END $$`);
  await knex.raw(`CREATE TRIGGER test_refuse_insert BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()`);
}
