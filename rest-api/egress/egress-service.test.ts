import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidTransitionError, MESSAGES } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createEgressService } from './egress-service.js';
import { createFakeEgressStore } from './fake-egress-store.js';

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
  const store = createFakeEgressStore();
  const service = createEgressService({ access: createPermitAccess(permits), engine, store, newId: () => 'e-1' });
  return { permits, engine, store, service };
}

const draft = { title: 'Table 1', files: [{ path: 'tables/t1.csv', description: 'Counts by region' }], disclosureChecks: [{ path: 'tables/t1.csv', checks: ['MIN_CELL_COUNT_10'] }], requiredReviews: 2 as const };

describe('egress service', () => {
  it('drafts a request and submits it with the contract variables', async () => {
    const { engine, store, service } = setup();
    await service.create(alice, ID, draft);
    engine.expectMessage(MESSAGES.egressRequestSubmitted, ID);
    const submitted = await service.submit(alice, ID, 'e-1', 1);
    expect(submitted).toMatchObject({ status: 'SUBMITTED', submittedBy: 'alice', version: 2 });
    expect(engine.correlated[0]?.variables).toEqual({
      egressRequestId: 'e-1',
      egressSubmittedBy: 'alice',
      egressSubmitterName: 'Alice',
      egressTitle: draft.title,
      egressFiles: draft.files,
      disclosureChecks: draft.disclosureChecks,
      egressRequiredReviews: 2,
    });
    expect(store.audits.map((a) => a.action)).toEqual(['egress.request-created', 'egress.request-submitted']);
  });

  it('resubmits a reworked request to its own waiting process', async () => {
    const { engine, store, service } = setup();
    store.seed({ id: 'e-2', permitId: ID, status: 'REWORK_REQUESTED' });
    engine.expectMessage(MESSAGES.egressRequestResubmitted, 'e-2');
    await service.submit(alice, ID, 'e-2');
    expect(engine.correlated[0]).toMatchObject({ name: MESSAGES.egressRequestResubmitted, correlationKey: 'e-2' });
  });

  it('refuses submitting twice, when nobody waits (status unchanged), and HDAB members', async () => {
    const { store, service } = setup();
    store.seed({ id: 'e-3', permitId: ID, status: 'IN_REVIEW' });
    await expect(service.submit(alice, ID, 'e-3')).rejects.toBeInstanceOf(InvalidTransitionError);
    store.seed({ id: 'e-4', permitId: ID });
    await expect(service.submit(alice, ID, 'e-4')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(store.requests.get('e-4')?.status).toBe('DRAFT');
    await expect(service.create(rita, ID, draft)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
