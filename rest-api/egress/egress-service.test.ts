import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, MESSAGES, PreconditionFailedError, UnavailableError } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeEgressFeature } from './create-egress-feature.js';
import { submissionMessageId } from './egress-service.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const ID = 'dddddddd-0000-4000-8000-000000000001';

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'ANALYSIS_ACTIVE' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const engine = createFakeEnginePort();
  let ids = 0;
  const { service, store } = createFakeEgressFeature({ access: createPermitAccess(permits), engine, newId: () => `e-${(ids += 1)}` });
  return { permits, engine, store, service };
}

const draft = { title: 'Table 1', files: [{ path: 'tables/t1.csv', description: 'Counts by region' }], disclosureChecks: [{ path: 'tables/t1.csv', checks: ['MIN_CELL_COUNT_10'] }] };

describe('egress service', () => {
  it('drafts a request and submits it: the move, the audit entry and the command first, then the message by its id', async () => {
    const { engine, store, service } = setup();
    await service.create(alice, ID, draft);
    engine.expectMessage(MESSAGES.egressRequestSubmitted, ID);
    const submitted = await service.submit(alice, ID, 'e-1', 1);
    expect(submitted).toMatchObject({ status: 'SUBMITTED', submittedBy: 'alice', version: 2 });
    expect(engine.published).toEqual([expect.objectContaining({ name: MESSAGES.egressRequestSubmitted, correlationKey: ID, messageId: submissionMessageId('e-1', 1), taken: true })]);
    expect(engine.published[0]?.variables).toEqual({
      egressRequestId: 'e-1',
      egressSubmittedBy: 'alice',
      egressSubmitterName: 'Alice',
      egressTitle: draft.title,
      egressFiles: draft.files,
      disclosureChecks: draft.disclosureChecks,
    });
    expect(store.audits.map((a) => a.action)).toEqual(['egress.request-created', 'egress.request-submitted']);
    expect(store.commands).toEqual([expect.objectContaining({ messageId: submissionMessageId('e-1', 1), status: 'delivered' })]);
  });

  it('resubmits a reworked request to its own waiting process', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-2', permitId: ID, status: 'REWORK_REQUESTED', version: 4 });
    engine.expectMessage(MESSAGES.egressRequestResubmitted, 'e-2');
    await service.submit(alice, ID, 'e-2');
    expect(engine.correlated[0]).toMatchObject({ name: MESSAGES.egressRequestResubmitted, correlationKey: 'e-2' });
    expect(engine.published[0]?.messageId).toBe(submissionMessageId('e-2', 4));
  });

  it('refuses submitting twice, when nobody waits, a stale If-Match and HDAB members, writing and sending nothing', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-3', permitId: ID, status: 'IN_REVIEW' });
    await expect(service.submit(alice, ID, 'e-3')).rejects.toBeInstanceOf(InvalidTransitionError);
    store.seed({ id: 'e-4', permitId: ID });
    await expect(service.submit(alice, ID, 'e-4')).rejects.toBeInstanceOf(InvalidTransitionError);
    engine.expectMessage(MESSAGES.egressRequestSubmitted, ID);
    await expect(service.submit(alice, ID, 'e-4', 7)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.requests.get('e-4')).toMatchObject({ status: 'DRAFT', version: 1 });
    await expect(service.create(rita, ID, draft)).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.audits).toEqual([]);
    expect(store.commands).toEqual([]);
    expect(engine.published).toEqual([]);
  });

  it('an engine that cannot be reached at the check refuses with nothing written', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-5', permitId: ID });
    engine.failWith = new UnavailableError('engine unreachable');
    await expect(service.submit(alice, ID, 'e-5')).rejects.toBeInstanceOf(UnavailableError);
    expect(store.requests.get('e-5')?.status).toBe('DRAFT');
    expect(store.audits).toEqual([]);
    expect(store.commands).toEqual([]);
  });

  it('an engine lost after the commit leaves the submission done and its command pending; the permit answers 409 meanwhile', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-6', permitId: ID });
    store.seed({ id: 'e-7', permitId: ID });
    engine.expectMessage(MESSAGES.egressRequestSubmitted, ID);
    const publish = engine.publishMessage.bind(engine);
    engine.publishMessage = () => Promise.reject(new UnavailableError('socket hang up'));
    await expect(service.submit(alice, ID, 'e-6')).resolves.toMatchObject({ status: 'SUBMITTED' });
    expect(store.commands).toEqual([expect.objectContaining({ messageId: submissionMessageId('e-6', 1), status: 'pending' })]);
    expect(store.audits.map((a) => a.action)).toEqual(['egress.request-submitted']);
    engine.publishMessage = publish;
    await expect(service.submit(alice, ID, 'e-7')).rejects.toBeInstanceOf(ConflictError);
    expect(store.requests.get('e-7')?.status).toBe('DRAFT');
  });

  it('ten identical concurrent submits: one move, one audit entry, one message; the others 409', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-8', permitId: ID });
    engine.expectMessage(MESSAGES.egressRequestSubmitted, ID);
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => service.submit(alice, ID, 'e-8')));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof ConflictError || (a as PromiseRejectedResult).reason instanceof InvalidTransitionError)).toBe(true);
    expect(engine.published).toHaveLength(1);
    expect(store.audits).toHaveLength(1);
  });

  it('an Idempotency-Key already bound to a request answers that request and creates nothing', async () => {
    const { store, service } = setup();
    const key = { caller: 'alice', key: 'k-1' };
    const first = await service.create(alice, ID, draft, key);
    const again = await service.create(alice, ID, draft, key);
    expect(again.id).toBe(first.id);
    expect(store.requests.size).toBe(1);
    expect(store.audits).toHaveLength(1);
    await service.create(alice, ID, draft, { caller: 'alice', key: 'k-2' });
    expect(store.requests.size).toBe(2);
  });
});

