/**
 * One contract, two stores: the same cases run through the `PermitStore` interface on the in-memory fake (which the
 * unit tests of every feature use) and on the knex store over the real database (PGlite; PostgreSQL too when
 * DATABASE_URL is set). A rule the fake gets wrong would let unit tests pass on behaviour production never shows.
 * Only two things go around the interface, as the platform does them elsewhere: the Idempotency-Key middleware
 * reserves the key before the store binds it, and the engine's `permit.set-status` worker moves a permit on.
 */
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { TABLES } from '../../db/index.js';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../db/testing/test-databases.js';
import type { PermitStatus } from '../../shared/index.js';
import { createFakePermitStore } from './fake-permit-store.js';
import { createKnexPermitStore } from './knex-permit-store.js';
import type { AuditInput, IdempotencyScope, NewPermit, PermitStore } from './permit-store.js';

interface Opened {
  store: PermitStore;
  /** What rest-api/platform/idempotency-key.ts does before the request runs. */
  reserveKey(scope: IdempotencyScope): Promise<void>;
  /** What the status worker does (`transitionPermit`): the status changes and the version goes up. */
  moveTo(permitId: string, status: PermitStatus): Promise<void>;
  /** What the team feature does when a member leaves: the membership row goes. */
  removeMember(permitId: string, userId: string): Promise<void>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open(): Promise<Opened>;
  dispose(): Promise<void>;
}

const fakeBackend: Backend = {
  name: 'the fake',
  async open() {
    const store = createFakePermitStore();
    return {
      store,
      reserveKey: () => Promise.resolve(),
      moveTo: (permitId, status) => Promise.resolve(store.setStatus(permitId, status)),
      removeMember: (permitId, userId) => Promise.resolve(void (store.memberRows = store.memberRows.filter((m) => m.permitId !== permitId || m.userId !== userId))),
      close: () => Promise.resolve(),
    };
  },
  dispose: () => Promise.resolve(),
};

function knexBackend(target: TestDatabaseTarget): Backend {
  return {
    name: `knex on ${target.name}`,
    async open() {
      const db = await target.open();
      return {
        store: createKnexPermitStore(db.knex),
        async reserveKey(scope) {
          await db.knex(TABLES.idempotencyKeys).insert({ ...scope, method: 'POST', path: '/permits', fingerprint: 'f', status: 'in-progress', expires_at: new Date(Date.now() + 60_000) });
        },
        async moveTo(permitId, status) {
          await db.knex(TABLES.permits).where({ id: permitId }).update({ status, version: db.knex.raw('version + 1') });
        },
        async removeMember(permitId, userId) {
          await db.knex(TABLES.permitMembers).where({ permit_id: permitId, user_id: userId }).delete();
        },
        close: () => db.close(),
      };
    },
    dispose: () => target.dispose(),
  };
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const draft = (n: number, over: Partial<NewPermit> = {}): NewPermit => ({
  id: id(n),
  title: `Study ${n}`,
  purpose: 'Outcomes of a cohort',
  validFrom: null,
  validUntil: '2027-06-01T00:00:00.000Z',
  deletionGracePeriod: 'P30D',
  createdBy: 'alice',
  ...over,
});
const audit = (action: string, permitId?: string): AuditInput => ({ actor: 'alice', action, ...(permitId ? { permitId } : {}) });
const command = (permitId: string) => ({ messageName: 'application-submitted', correlationKey: permitId, variables: { permitId } });

describe.each([fakeBackend, ...testDatabaseTargets().map(knexBackend)])('PermitStore contract on $name', (backend) => {
  let opened: Opened;
  let store: PermitStore;
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });
  afterEach(() => opened.close());
  afterAll(() => backend.dispose());

  it('creates a DRAFT with its members (a repeated member once) and finds it by id, by ids, by the caller and by role', async () => {
    const created = await store.createDraft(draft(1), [
      { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
      { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
      { userId: 'rita', teamRole: 'HDAB_TEAM' },
    ]);
    expect(created).toMatchObject({ id: id(1), title: 'Study 1', status: 'DRAFT', validFrom: null, validUntil: '2027-06-01T00:00:00.000Z', deletionGracePeriod: 'P30D', processInstanceKey: null, createdBy: 'alice', version: 1 });
    expect(await store.findById(id(1))).toEqual(created);
    expect(await store.findById(id(9))).toBeUndefined();
    expect(await store.findByIds([id(1), id(9)])).toEqual([created]);
    expect(await store.findByIds([])).toEqual([]);
    expect(await store.findWithTeamRoles(id(1), 'rita')).toEqual({ permit: created, teamRoles: ['HDAB_TEAM'] });
    expect(await store.findWithTeamRoles(id(1), 'bob')).toEqual({ permit: created, teamRoles: [] });
    expect(await store.findWithTeamRoles(id(9), 'rita')).toBeUndefined();
    expect(await store.teamRolesOf(id(1), 'alice')).toEqual(['RESEARCH_TEAM']);
    expect(await store.permitIdsOf('rita', 'HDAB_TEAM')).toEqual([id(1)]);
    expect(await store.permitIdsOf('rita', 'RESEARCH_TEAM')).toEqual([]);
    expect((await store.members(id(1))).map((m) => [m.userId, m.teamRole, m.addedBy]).sort()).toEqual([
      ['alice', 'RESEARCH_TEAM', 'alice'],
      ['rita', 'HDAB_TEAM', 'alice'],
    ]);
    expect(await store.history(id(1))).toEqual([]);
  });

  it('answers reads of several permits by several readers at once each with its own permit and roles, and sees a change on the very next read', async () => {
    const one = await store.createDraft(draft(1), [
      { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
      { userId: 'rita', teamRole: 'HDAB_TEAM' },
    ]);
    const two = await store.createDraft(draft(2), [{ userId: 'rita', teamRole: 'HDAB_TEAM' }, { userId: 'rita', teamRole: 'DATA_HOLDER' }]);
    // Asked together: the knex store answers them from one batch (read-batcher.ts).
    const answers = await Promise.all([
      store.findWithTeamRoles(id(1), 'alice'),
      store.findWithTeamRoles(id(2), 'rita'),
      store.findWithTeamRoles(id(1), 'rita'),
      store.findWithTeamRoles(id(2), 'alice'),
      store.findWithTeamRoles(id(9), 'alice'),
      store.findWithTeamRoles(id(1), 'alice'),
      // An id PostgreSQL cannot take fails nobody else's read.
      store.findWithTeamRoles(`${id(1)}\u0000`, 'alice'),
    ]);
    expect(answers.map((found) => found && { id: found.permit.id, roles: [...found.teamRoles].sort() })).toEqual([
      { id: id(1), roles: ['RESEARCH_TEAM'] },
      { id: id(2), roles: ['DATA_HOLDER', 'HDAB_TEAM'] },
      { id: id(1), roles: ['HDAB_TEAM'] },
      { id: id(2), roles: [] },
      undefined,
      { id: id(1), roles: ['RESEARCH_TEAM'] },
      undefined,
    ]);
    expect(answers[0]).toEqual({ permit: one, teamRoles: ['RESEARCH_TEAM'] });
    expect(answers[1]?.permit).toEqual(two);

    await opened.removeMember(id(1), 'alice');
    await opened.moveTo(id(2), 'SUBMITTED');
    const [aliceNow, twoNow] = await Promise.all([store.findWithTeamRoles(id(1), 'alice'), store.findWithTeamRoles(id(2), 'rita')]);
    expect(aliceNow?.teamRoles).toEqual([]);
    expect(twoNow?.permit).toMatchObject({ status: 'SUBMITTED', version: two.version + 1 });
  });

  it('answers the permit an earlier request under the same Idempotency-Key created, and inserts nothing more', async () => {
    const key = { caller: 'alice', key: 'k-1' };
    await opened.reserveKey(key);
    const first = await store.createDraft(draft(1), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }], key);
    const again = await store.createDraft(draft(2), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }], key);
    expect(again).toEqual(first);
    expect(await store.findById(id(2))).toBeUndefined();
    expect((await store.list({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it('links the lifecycle process to the permit', async () => {
    await store.createDraft(draft(1), []);
    expect(await store.attachProcess(id(1), '2251799813685249', audit('permit.created', id(1)))).toMatchObject({ id: id(1), processInstanceKey: '2251799813685249', version: 1 });
    expect(await store.findById(id(1))).toMatchObject({ processInstanceKey: '2251799813685249' });
  });

  it('edits a DRAFT only at the version it was checked against, and not once it left DRAFT', async () => {
    await store.createDraft(draft(1), []);
    const edited = await store.editDraft({ permitId: id(1), changes: { title: 'Renamed', validFrom: '2026-07-01T00:00:00.000Z' }, version: 1, audit: audit('permit.draft-edited', id(1)) });
    expect(edited).toMatchObject({ title: 'Renamed', purpose: 'Outcomes of a cohort', validFrom: '2026-07-01T00:00:00.000Z', version: 2 });
    expect(await store.editDraft({ permitId: id(1), changes: { title: 'Late' }, version: 1, audit: audit('permit.draft-edited', id(1)) })).toBeUndefined();
    expect(await store.editDraft({ permitId: id(1), changes: { deletionGracePeriod: null }, version: 2, audit: audit('permit.draft-edited', id(1)) })).toMatchObject({ deletionGracePeriod: null, version: 3 });
    await opened.moveTo(id(1), 'SUBMITTED');
    expect(await store.editDraft({ permitId: id(1), changes: { title: 'Too late' }, version: 4, audit: audit('permit.draft-edited', id(1)) })).toBeUndefined();
    expect(await store.findById(id(1))).toMatchObject({ title: 'Renamed', status: 'SUBMITTED', version: 4 });
  });

  it('deletes a draft with its members, and leaves a permit that is no longer a draft', async () => {
    await store.createDraft(draft(1), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
    await store.createDraft(draft(2), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
    await opened.moveTo(id(2), 'SUBMITTED');
    await store.deleteDraft(id(1));
    await store.deleteDraft(id(2));
    expect(await store.findById(id(1))).toBeUndefined();
    expect(await store.members(id(1))).toEqual([]);
    expect(await store.findById(id(2))).toMatchObject({ status: 'SUBMITTED' });
    expect(await store.permitIdsOf('alice', 'RESEARCH_TEAM')).toEqual([id(2)]);
  });

  it('lists newest first, by member, status and a case-insensitive substring of title or purpose taken literally, a page at a time', async () => {
    await store.createDraft(draft(1, { title: 'Diabetes cohort' }), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
    await store.createDraft(draft(2, { title: 'Heart study', purpose: 'Outcomes after 50% dose' }), [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }]);
    await store.createDraft(draft(3, { title: 'Another DIABETES look' }), [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
    await opened.moveTo(id(3), 'SUBMITTED');
    const ids = async (query: Parameters<PermitStore['list']>[0]) => {
      const { items, total } = await store.list(query);
      return { ids: items.map((p) => p.id), total };
    };
    expect(await ids({ limit: 10, offset: 0 })).toEqual({ ids: [id(3), id(2), id(1)], total: 3 });
    expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: [id(2), id(1)], total: 3 });
    expect(await ids({ memberId: 'alice', limit: 10, offset: 0 })).toEqual({ ids: [id(3), id(1)], total: 2 });
    expect(await ids({ memberId: 'carol', limit: 10, offset: 0 })).toEqual({ ids: [], total: 0 });
    expect(await ids({ status: 'DRAFT', limit: 10, offset: 0 })).toEqual({ ids: [id(2), id(1)], total: 2 });
    expect(await ids({ q: 'diabetes', limit: 10, offset: 0 })).toEqual({ ids: [id(3), id(1)], total: 2 });
    expect(await ids({ q: '50%', limit: 10, offset: 0 })).toEqual({ ids: [id(2)], total: 1 });
    expect(await ids({ q: '5_%', limit: 10, offset: 0 })).toEqual({ ids: [], total: 0 });
    expect(await ids({ memberId: 'alice', status: 'DRAFT', q: 'COHORT', limit: 10, offset: 0 })).toEqual({ ids: [id(1)], total: 1 });
  });

  it('runs an intent once: delivered, then a duplicate at the same version, busy while another is pending, missing for an unknown permit', async () => {
    await store.createDraft(draft(1), []);
    await store.createDraft(draft(2), []);
    const delivered: string[] = [];
    const deliver = (c: { messageId: string }) => {
      delivered.push(c.messageId);
      return Promise.resolve();
    };
    const intent = (permitId: string, name: string) => ({ permitId, intentKey: (v: number) => `${permitId}:${name}:v${v}`, audit: audit(`permit.${name}`, permitId), command: command(permitId) });

    expect(await store.runOnce(intent(id(1), 'submit'), deliver)).toEqual({ outcome: 'delivered', command: { messageId: `${id(1)}:submit:v1`, permitId: id(1), ...command(id(1)) } });
    expect(await store.runOnce(intent(id(1), 'submit'), deliver)).toEqual({ outcome: 'duplicate' });
    expect(await store.runOnce(intent(id(9), 'submit'), deliver)).toEqual({ outcome: 'missing' });

    const failed = await store.runOnce(intent(id(2), 'submit'), () => Promise.reject(new Error('engine away')));
    expect(failed).toMatchObject({ outcome: 'pending', command: { messageId: `${id(2)}:submit:v1` } });
    expect(await store.runOnce(intent(id(2), 'withdraw'), deliver)).toEqual({ outcome: 'busy' });
    expect(delivered).toEqual([`${id(1)}:submit:v1`]);
  });

  it('runs two intents on one permit at the same time one after the other: the second is a duplicate', async () => {
    await store.createDraft(draft(1), []);
    const intent = { permitId: id(1), intentKey: (v: number) => `${id(1)}:submit:v${v}`, audit: audit('permit.submit', id(1)), command: command(id(1)) };
    const outcomes = await Promise.all([store.runOnce(intent, () => Promise.resolve()), store.runOnce(intent, () => Promise.resolve())]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['delivered', 'duplicate']);
  });
});
