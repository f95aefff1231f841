/**
 * The batched permit read on the real databases: what it answers is the permit store contract's business
 * (permit-store.contract.integration.test.ts); here, how it asks on PostgreSQL: one prepared statement, planned once
 * per connection rather than for every batch.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../db/testing/test-databases.js';
import { createBatchedPermitReads } from './batched-permit-reads.js';
import { createKnexPermitStore } from './knex-permit-store.js';

// PostgreSQL only (DATABASE_URL): PGlite takes the read through knex like every other query.
const postgres = testDatabaseTargets().find((target) => target.name === 'PostgreSQL');

describe.skipIf(!postgres)('batched permit reads on PostgreSQL', () => {
  let db: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  beforeEach(async () => {
    db = await postgres!.open();
  });
  afterEach(() => db.close());
  afterAll(() => postgres?.dispose());

  it('asks through one named prepared statement, the same one batch after batch', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await createKnexPermitStore(db.knex).createDraft(
      { id, title: 'Study', purpose: 'Outcomes', validFrom: null, validUntil: '2027-06-01T00:00:00.000Z', deletionGracePeriod: null, createdBy: 'alice' },
      [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }],
    );
    const read = createBatchedPermitReads(db.knex);
    expect((await Promise.all([read(id, 'alice'), read(id, 'bob')])).map((found) => found?.teamRoles)).toEqual([['RESEARCH_TEAM'], []]);
    expect((await read(id, 'alice'))?.permit.id).toBe(id);
    // The test database has one connection: the statements prepared on it are the ones the reads used.
    const { rows } = (await db.knex.raw(`SELECT name, statement FROM pg_prepared_statements WHERE statement ILIKE '%unnest%'`)) as { rows: { name: string }[] };
    expect(rows.map((row) => row.name)).toEqual(['spe_permits_with_team_roles']);
  });
});
