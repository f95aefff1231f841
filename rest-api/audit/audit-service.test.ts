import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../shared/index.js';
import type { AuditEntry } from '../../db/index.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeAuditFeature } from './create-audit-feature.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const bob: Caller = { userId: 'bob', name: 'Bob', roles: ['researcher'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ID = 'ffffffff-0000-4000-8000-000000000001';

const entry = (seq: number, permitId: string | null): AuditEntry => ({ seq, occurredAt: '', actor: 'x', action: 'a', permitId, details: {}, idempotencyKey: null, prevHash: '', hash: '' });

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID }, [{ userId: 'alice', teamRole: 'RESEARCH_TEAM' }]);
  const { service, store } = createFakeAuditFeature({ access: createPermitAccess(permits) });
  store.entries.push(entry(1, ID), entry(2, null), entry(3, ID));
  return { service, store };
}

describe('audit service', () => {
  it("shows a permit's entries to its team, with a cursor", async () => {
    const { service } = setup();
    expect(await service.list(alice, { permitId: ID, limit: 1, afterSeq: 0 })).toEqual({ items: [entry(1, ID)], nextAfterSeq: 1 });
    expect((await service.list(alice, { permitId: ID, limit: 5, afterSeq: 1 })).items.map((e) => e.seq)).toEqual([3]);
    await expect(service.list(bob, { permitId: ID, limit: 5, afterSeq: 0 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps the whole log and its verification to administrators', async () => {
    const { service, store } = setup();
    await expect(service.list(alice, { limit: 5, afterSeq: 0 })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await service.list(adam, { limit: 5, afterSeq: 0 })).items).toHaveLength(3);
    await expect(service.verify(alice)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.verify(adam)).resolves.toEqual({ ok: true, checked: 3, problems: [] });
    store.problems.push({ seq: 2, problem: 'edited' });
    await expect(service.verify(adam)).resolves.toEqual({ ok: false, checked: 3, problems: [{ seq: 2, problem: 'edited' }] });
  });
});
