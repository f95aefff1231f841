/**
 * The team store on the real database (PGlite; PostgreSQL too when DATABASE_URL is set): a refused or empty
 * change writes nothing (no member row, no version bump, no audit entry, no event), whichever driver answers; a
 * change writes the event `permit.members.changed` with it.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, type Database } from '../../db/index.js';
import { ConflictError, PreconditionFailedError } from '../../shared/index.js';
import { createKnexTeamStore } from './knex-team-store.js';

describe.each(testDatabaseTargets())('team store on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    permitId = (await insertPermit(knex, { status: 'DRAFT' })).id;
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' });
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const footprint = async () => ({
    version: ((await knex(TABLES.permits).where({ id: permitId }).first('version')) as { version: number }).version,
    members: ((await knex(TABLES.permitMembers).where({ permit_id: permitId }).orderBy('user_id').select('user_id', 'team_role')) as unknown[]).length,
    audit: Number(((await knex(TABLES.auditLog).count({ n: '*' })) as { n: string | number }[])[0]?.n),
    events: ((await knex(TABLES.outboxEvents).where({ permit_id: permitId }).orderBy('seq').select('name', 'payload')) as { name: string; payload: unknown }[]).map((e) => ({
      name: e.name,
      payload: typeof e.payload === 'string' ? (JSON.parse(e.payload) as unknown) : e.payload,
    })),
  });
  const change = (userId: string, extra: object = {}) => ({ permitId, members: [{ userId, teamRole: 'RESEARCH_TEAM' as const }], actor: 'rita', auditAction: 'team.member-added', ...extra });

  it('removes a member with a version bump and an audit entry, and someone not on the team with neither', async () => {
    const store = createKnexTeamStore(knex);
    const before = await footprint();
    expect(await store.remove(change('bob') as never)).toBe(false);
    expect(await footprint()).toEqual(before);
    expect(await store.remove(change('alice') as never)).toBe(true);
    expect(await footprint()).toEqual({
      version: before.version + 1,
      members: 0,
      audit: before.audit + 1,
      events: [{ name: 'permit.members.changed', payload: { added: [], removed: [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }] } }],
    });
  });

  it('hands the guard the current members inside the transaction; its refusal writes nothing', async () => {
    const store = createKnexTeamStore(knex);
    const before = await footprint();
    const seen: string[] = [];
    const refuse = (members: readonly { userId: string }[]) => {
      seen.push(...members.map((m) => m.userId));
      throw new ConflictError('no');
    };
    await expect(store.add(change('bob', { guard: refuse }))).rejects.toBeInstanceOf(ConflictError);
    expect(seen).toEqual(['alice']);
    expect(await footprint()).toEqual(before);
    expect(await store.add(change('bob', { guard: () => undefined }))).toHaveLength(1);
    expect(await footprint()).toEqual({
      version: before.version + 1,
      members: 2,
      audit: before.audit + 1,
      events: [{ name: 'permit.members.changed', payload: { added: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }], removed: [] } }],
    });
  });

  it('ten identical concurrent adds, then ten identical concurrent removes: one change each (one version bump, one audit entry, one event)', async () => {
    const store = createKnexTeamStore(knex);
    const before = await footprint();
    const guard = () => undefined; // as the service adds: with the permit row locked
    const added = await Promise.all(Array.from({ length: 10 }, () => store.add(change('bob', { guard }))));
    expect(added.filter((rows) => rows.length > 0)).toHaveLength(1);
    const afterAdd = await footprint();
    expect(afterAdd).toMatchObject({ version: before.version + 1, members: 2, audit: before.audit + 1 });
    expect(afterAdd.events).toHaveLength(1);
    const removed = await Promise.all(Array.from({ length: 10 }, () => store.remove(change('bob') as never)));
    expect(removed.filter(Boolean)).toHaveLength(1);
    const afterRemove = await footprint();
    expect(afterRemove).toMatchObject({ version: before.version + 2, members: 1, audit: before.audit + 2 });
    expect(afterRemove.events).toHaveLength(2);
  });

  it('refuses a stale expected version and writes nothing', async () => {
    const store = createKnexTeamStore(knex);
    const before = await footprint();
    await expect(store.add(change('bob', { expectedVersion: before.version + 5 }))).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await footprint()).toEqual(before);
  });
});
