import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, MESSAGES, NotFoundError, PROCESS_IDS, PreconditionFailedError, UnavailableError, ValidationError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createFakePermitsFeature } from './create-permits-feature.js';
import { lifecycleStartCommand, startLifecycle } from './lifecycle-start.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const bob: Caller = { userId: 'bob', name: 'Bob', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const NOW = new Date('2026-06-01T00:00:00Z');

function setup() {
  let n = 0;
  const { store, engine, service, directory } = createFakePermitsFeature({ defaultHdabTeam: ['rita', 'victor'], now: () => NOW, newId: () => `p-${++n}` });
  directory.add('bob', ['researcher']);
  return { store, engine, service, directory };
}

const application = { title: 'Diabetes cohort', purpose: 'Study outcomes of a diabetes cohort', validUntil: '2027-06-01T00:00:00Z' };

describe('permits service', () => {
  it('creates a DRAFT with the creator on the research team, the default HDAB team, and starts the lifecycle', async () => {
    const { store, engine, service } = setup();
    const view = await service.create(alice, { ...application, members: [{ userId: 'bob' }], deletionGracePeriod: 'P14D' });
    expect(view).toMatchObject({ id: 'p-1', status: 'DRAFT', createdBy: 'alice', myTeamRoles: ['RESEARCH_TEAM'], allowedActions: ['submit', 'edit-draft', 'withdraw'] });
    expect(store.memberRows.map((m) => `${m.userId}:${m.teamRole}`)).toEqual(['alice:RESEARCH_TEAM', 'bob:RESEARCH_TEAM', 'rita:HDAB_TEAM', 'victor:HDAB_TEAM']);
    expect(engine.started).toEqual([
      { processId: PROCESS_IDS.lifecycle, variables: {
          permitId: 'p-1',
          validUntil: '2027-06-01T00:00:00.000Z',
          deletionGracePeriod: 'P14D',
          // What the reviewers' forms show as context.
          permitTitle: 'Diabetes cohort',
          applicantName: 'Alice',
          permitPurpose: 'Study outcomes of a diabetes cohort',
        }, processInstanceKey: expect.any(String), tags: ['permit:p-1'] },
    ]);
    expect(view.processInstanceKey).toBe(engine.started[0]?.processInstanceKey);
    expect(store.audits).toEqual([expect.objectContaining({ actor: 'alice', action: 'permit.created', permitId: 'p-1' })]);
  });

  it('refuses further members who are unknown, no researchers, or the creator on the HDAB team, creating nothing', async () => {
    const { store, engine, service, directory } = setup();
    const unknown = await service.create(alice, { ...application, members: [{ userId: 'bob' }, { userId: 'zoe' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).details.errors).toEqual([{ path: 'body.members[1].userId', message: expect.stringMatching(/^"zoe" is not a known user/) }]);
    await expect(service.create(alice, { ...application, members: [{ userId: 'dana' }] })).rejects.toThrow(/"dana" cannot join the research team/);
    directory.add('hank', ['researcher', 'hdab-reviewer']);
    await expect(service.create(alice, { ...application, members: [{ userId: 'rita' }] })).rejects.toBeInstanceOf(ValidationError);
    const reviewer: Caller = { userId: 'rita', name: 'Rita', roles: ['researcher', 'hdab-reviewer'] };
    await expect(service.create(reviewer, application)).rejects.toThrow(ConflictError);
    await expect(service.create(reviewer, application)).rejects.toThrow(/"rita" is already on this permit's HDAB team/);
    expect({ permits: store.permits.size, members: store.memberRows.length, audits: store.audits.length, started: engine.started.length }).toEqual({ permits: 0, members: 0, audits: 0, started: 0 });
  });

  it('refuses to create permits while the configured default HDAB team holds someone who cannot be on it', async () => {
    const { store, service } = createFakePermitsFeature({ defaultHdabTeam: ['rita', 'alice'], now: () => NOW });
    await expect(service.create(alice, application)).rejects.toThrow(/configured default HDAB team cannot be put on a new permit: "alice" cannot join the HDAB team/);
    expect(store.permits.size).toBe(0);
  });

  it('keeps the DRAFT and its pending start when the engine cannot be reached; a later start finds nothing and starts once', async () => {
    const { store, engine, service } = setup();
    engine.failWith = new UnavailableError('engine down');
    const view = await service.create(alice, application);
    expect(view).toMatchObject({ id: 'p-1', status: 'DRAFT', processInstanceKey: null });
    expect(store.commands).toEqual([expect.objectContaining({ messageId: 'api:permit.start:p-1', kind: 'process-start', status: 'pending' })]);
    expect(store.audits).toEqual([]);
    // The relay's turn, after the request's lease ran out.
    engine.failWith = undefined;
    const command = (await store.pendingStartOf('p-1'))!;
    store.commands[0]!.leasedUntil = 0;
    const permit = await startLifecycle({ store, engine }, command);
    expect(permit?.processInstanceKey).toBe(engine.started[0]?.processInstanceKey);
    expect(engine.started).toHaveLength(1);
    expect(store.commands[0]?.status).toBe('delivered');
    expect(store.audits).toEqual([expect.objectContaining({ actor: 'alice', action: 'permit.created', permitId: 'p-1' })]);
  });

  it('a retry under the same Idempotency-Key after the request died between start and link links the instance that request started', async () => {
    const { store, engine, service } = setup();
    const key = { caller: 'alice', key: 'k-1' };
    // The first request: the DRAFT and its command committed, the engine started the instance, then the process died.
    const fields = { id: 'p-0', title: application.title, purpose: application.purpose, validFrom: null, validUntil: application.validUntil, deletionGracePeriod: null, createdBy: 'alice' };
    await store.createDraft(fields, [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }], key, lifecycleStartCommand(fields, 'Alice'));
    const orphan = await engine.createProcessInstance(PROCESS_IDS.lifecycle, { permitId: 'p-0' }, { tags: ['permit:p-0'] });
    const view = await service.create(alice, application, key);
    expect(view).toMatchObject({ id: 'p-0', processInstanceKey: orphan.processInstanceKey });
    expect({ started: engine.started.length, cancelled: engine.cancelled, permits: store.permits.size }).toEqual({ started: 1, cancelled: [], permits: 1 });
    expect(store.audits).toEqual([expect.objectContaining({ action: 'permit.created', permitId: 'p-0', details: expect.objectContaining({ processInstanceKey: orphan.processInstanceKey, found: true }) })]);
  });

  it('with two tagged instances found (a starter whose lease ran out), links the oldest and cancels the other; a late link changes nothing', async () => {
    const { store, engine } = setup();
    const fields = { id: 'p-9', title: 't', purpose: 'p', validFrom: null, validUntil: application.validUntil, deletionGracePeriod: null, createdBy: 'alice' };
    const command = lifecycleStartCommand(fields, 'Alice');
    await store.createDraft(fields, [], undefined, command);
    const [a, b] = [await engine.createProcessInstance(PROCESS_IDS.lifecycle, {}, { tags: ['permit:p-9'] }), await engine.createProcessInstance(PROCESS_IDS.lifecycle, {}, { tags: ['permit:p-9'] })];
    const permit = await startLifecycle({ store, engine }, command);
    expect(permit?.processInstanceKey).toBe(a.processInstanceKey);
    expect(engine.cancelled).toEqual([b.processInstanceKey]);
    expect(await store.attachProcess('p-9', b.processInstanceKey, { actor: 'x', action: 'permit.created' })).toMatchObject({ processInstanceKey: a.processInstanceKey });
    expect(store.audits).toHaveLength(1);
    expect(await startLifecycle({ store, engine }, command)).toBeUndefined();
  });

  it('refuses a validity in the past or ending before it starts, and non-researchers', async () => {
    const { store, service } = setup();
    await expect(service.create(alice, { ...application, validUntil: '2026-01-01T00:00:00Z' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.create(alice, { ...application, validFrom: '2027-07-01T00:00:00Z' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.create(rita, application)).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.permits.size).toBe(0);
  });

  it('shows a permit to its members and administrators only (404 to everyone else)', async () => {
    const { service } = setup();
    const { id } = await service.create(alice, application);
    await expect(service.get(alice, id)).resolves.toMatchObject({ id });
    await expect(service.get(rita, id)).resolves.toMatchObject({ myTeamRoles: ['HDAB_TEAM'] });
    await expect(service.get(adam, id)).resolves.toMatchObject({ myTeamRoles: [], allowedActions: ['manage-members'] });
    await expect(service.get(bob, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.history(bob, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists only the permits the caller is on; administrators see all', async () => {
    const { service } = setup();
    await service.create(alice, application);
    await service.create(bob, { ...application, title: 'Other study' });
    expect((await service.list(alice, { limit: 10, offset: 0 })).items.map((p) => p.title)).toEqual(['Diabetes cohort']);
    expect((await service.list(adam, { limit: 10, offset: 0 })).total).toBe(2);
    expect((await service.list(rita, { limit: 10, offset: 0, q: 'other' })).items.map((p) => p.title)).toEqual(['Other study']);
  });

  it('submits the application as it is now (edited since its creation) by correlating application.submitted, recording who did it', async () => {
    const { store, engine, service } = setup();
    const { id } = await service.create(alice, application);
    await service.editDraft(alice, id, { title: 'Diabetes cohort, edited', deletionGracePeriod: 'P7D' }, 1);
    engine.expectMessage(MESSAGES.applicationSubmitted, id);
    await service.submit(alice, id, 2);
    expect(engine.correlated).toEqual([
      {
        name: MESSAGES.applicationSubmitted,
        correlationKey: id,
        variables: { submittedBy: 'alice', permitTitle: 'Diabetes cohort, edited', permitPurpose: application.purpose, validUntil: '2027-06-01T00:00:00.000Z', deletionGracePeriod: 'P7D' },
      },
    ]);
    expect(store.audits.at(-1)).toMatchObject({ actor: 'alice', action: 'permit.submit', permitId: id });
  });

  it('answers 412 for a stale If-Match and changes nothing', async () => {
    const { engine, service } = setup();
    const { id } = await service.create(alice, application);
    engine.expectMessage(MESSAGES.applicationSubmitted, id);
    await expect(service.submit(alice, id, 7)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(engine.correlated).toEqual([]);
  });

  it('answers 409 with the allowed actions when the process is not waiting, or the status does not allow it', async () => {
    const { store, service } = setup();
    const { id } = await service.create(alice, application);
    const notWaiting = await service.submit(alice, id).catch((e: unknown) => e);
    expect(notWaiting).toBeInstanceOf(InvalidTransitionError);
    expect(notWaiting).toMatchObject({ currentStatus: 'DRAFT', allowedActions: ['submit', 'edit-draft', 'withdraw'] });
    store.setStatus(id, 'UNDER_ASSESSMENT');
    const wrongStatus = await service.submit(alice, id).catch((e: unknown) => e);
    expect(wrongStatus).toMatchObject({ currentStatus: 'UNDER_ASSESSMENT', allowedActions: ['withdraw'] });
  });

  it('lets only the research team withdraw and answer information requests', async () => {
    const { store, engine, service } = setup();
    const { id } = await service.create(alice, application);
    await expect(service.withdraw(rita, id, {})).rejects.toBeInstanceOf(ForbiddenError);
    store.setStatus(id, 'AWAITING_APPLICANT_INFO');
    engine.expectMessage(MESSAGES.applicationInfoProvided, id);
    await service.provideInfo(alice, id, { response: 'Here is the data management plan.' });
    expect(engine.correlated.at(-1)?.variables).toEqual({ applicantResponse: 'Here is the data management plan.', submittedBy: 'alice' });
    engine.expectMessage(MESSAGES.applicationWithdrawn, id);
    await service.withdraw(alice, id, { reason: 'Funding ended' });
    expect(engine.correlated.at(-1)?.variables).toEqual({ withdrawnBy: 'alice', reason: 'Funding ended' });
  });
});
