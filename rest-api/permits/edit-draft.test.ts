/** Unit tests of editing a DRAFT application (`PermitsService.editDraft`) with the fake store: no I/O. */
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, PreconditionFailedError, ValidationError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createFakePermitsFeature } from './create-permits-feature.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const bob: Caller = { userId: 'bob', name: 'Bob', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const NOW = new Date('2026-06-01T00:00:00Z');

function setup() {
  const { store, service } = createFakePermitsFeature({ now: () => NOW });
  store.seed({ id: 'p-1', title: 'Diabetes cohort', purpose: 'Study outcomes of a diabetes cohort', validUntil: '2027-06-01T00:00:00.000Z' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  const footprint = () => ({ permit: store.permits.get('p-1'), audits: store.audits.length, events: store.events.length });
  return { store, service, footprint };
}

describe('editing a DRAFT application', () => {
  it('changes only the fields sent, bumps the version, and writes one audit entry and one event', async () => {
    const { store, service } = setup();
    const view = await service.editDraft(alice, 'p-1', { title: 'Diabetes cohort, 2010-2020', validFrom: '2026-07-01T00:00:00+02:00' }, 1);
    expect(view).toMatchObject({
      title: 'Diabetes cohort, 2010-2020',
      purpose: 'Study outcomes of a diabetes cohort',
      validFrom: '2026-06-30T22:00:00.000Z',
      validUntil: '2027-06-01T00:00:00.000Z',
      status: 'DRAFT',
      version: 2,
      allowedActions: ['submit', 'edit-draft', 'withdraw'],
    });
    expect(store.audits).toEqual([
      {
        actor: 'alice',
        action: 'permit.edit-draft',
        permitId: 'p-1',
        details: { changes: { title: 'Diabetes cohort, 2010-2020', validFrom: '2026-06-30T22:00:00.000Z' }, previous: { title: 'Diabetes cohort', validFrom: null } },
      },
    ]);
    expect(store.events).toEqual([{ name: 'permit.draft.edited', permitId: 'p-1', payload: { changed: ['title', 'validFrom'], version: 2, editedBy: 'alice' } }]);
  });

  it('clears an optional field sent as null', async () => {
    const { store, service } = setup();
    store.seed({ id: 'p-1', deletionGracePeriod: 'P30D', validFrom: '2026-07-01T00:00:00.000Z' });
    const view = await service.editDraft(alice, 'p-1', { deletionGracePeriod: null, validFrom: null });
    expect(view).toMatchObject({ deletionGracePeriod: null, validFrom: null, version: 2 });
  });

  it('answers an identical repeat with the permit as it is, writing nothing more, even with the If-Match of before', async () => {
    const { service, footprint } = setup();
    const edit = { title: 'Diabetes cohort, 2010-2020', validUntil: '2027-06-01T02:00:00+02:00' };
    await service.editDraft(alice, 'p-1', edit, 1);
    const after = footprint();
    const repeat = await service.editDraft(alice, 'p-1', edit, 1);
    expect(repeat.version).toBe(2);
    expect(footprint()).toEqual(after);
    expect(after).toMatchObject({ audits: 1, events: 1 });
  });

  it('refuses a stale If-Match when something would change (412), changing nothing', async () => {
    const { service, footprint } = setup();
    await service.editDraft(alice, 'p-1', { title: 'First edit' }, 1);
    const before = footprint();
    await expect(service.editDraft(alice, 'p-1', { title: 'Second edit' }, 1)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(footprint()).toEqual(before);
  });

  it('refuses once the permit is no longer a DRAFT (409 naming the status and what is allowed), changing nothing', async () => {
    const { store, service, footprint } = setup();
    store.setStatus('p-1', 'SUBMITTED');
    const before = footprint();
    const error = await service.editDraft(alice, 'p-1', { title: 'Too late' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ message: expect.stringMatching(/is SUBMITTED; "edit-draft" is allowed only in DRAFT/), currentStatus: 'SUBMITTED', allowedActions: ['withdraw'] });
    expect(footprint()).toEqual(before);
  });

  it('lets only the research team edit (403 for the HDAB and admins, 404 for researchers not on the permit)', async () => {
    const { service, footprint } = setup();
    const before = footprint();
    await expect(service.editDraft(rita, 'p-1', { title: 'Reviewer edit' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.editDraft(adam, 'p-1', { title: 'Admin edit' })).rejects.toThrow(/Only researcher on the permit's RESEARCH_TEAM may edit draft/);
    await expect(service.editDraft(bob, 'p-1', { title: 'Outsider edit' })).rejects.toBeInstanceOf(NotFoundError);
    expect(footprint()).toEqual(before);
  });

  it('checks the validity window as it would be after the edit', async () => {
    const { service, footprint } = setup();
    const before = footprint();
    const past = await service.editDraft(alice, 'p-1', { validUntil: '2026-05-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(past).toBeInstanceOf(ValidationError);
    expect((past as ValidationError).details.errors).toEqual([{ path: 'body.validUntil', message: 'must be in the future' }]);
    // validFrom alone, after the validUntil the permit already has.
    await expect(service.editDraft(alice, 'p-1', { validFrom: '2027-07-01T00:00:00Z' })).rejects.toThrow(/body.validFrom must be before validUntil/);
    expect(footprint()).toEqual(before);
  });

  it('answers 409 conflict when the permit moved between the check and the write without If-Match', async () => {
    const { store, service } = setup();
    const editDraft = store.editDraft.bind(store);
    store.editDraft = async (edit) => {
      const permit = store.permits.get('p-1');
      if (permit) store.permits.set('p-1', { ...permit, version: permit.version + 1 });
      return editDraft(edit);
    };
    await expect(service.editDraft(alice, 'p-1', { title: 'Racing edit' })).rejects.toBeInstanceOf(ConflictError);
    await expect(service.editDraft(alice, 'p-1', { title: 'Racing edit again' }, 2)).rejects.toBeInstanceOf(PreconditionFailedError);
  });
});
