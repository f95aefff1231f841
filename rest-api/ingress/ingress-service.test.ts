import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, MESSAGES, ValidationError } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeTeamStore } from '../team/fake-team-store.js';
import { createFakeUserDirectory } from '../team/fake-user-directory.js';
import { createIngressService } from './ingress-service.js';

const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const dana: Caller = { userId: 'dana', name: 'Dana', roles: ['data-holder'] };
const ID = 'cccccccc-0000-4000-8000-000000000001';
const manifest = { files: [{ path: 'raw/cohort.csv', sha256: 'a'.repeat(64), sizeBytes: 1024 }] };

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'APPROVED' }, [{ userId: 'rita', teamRole: 'HDAB_TEAM' }]);
  const engine = createFakeEnginePort();
  const directory = createFakeUserDirectory();
  directory.add('hugo', ['data-holder']);
  const service = createIngressService({ access: createPermitAccess(permits), engine, permits, team: createFakeTeamStore(permits), directory });
  return { permits, engine, service };
}

describe('ingress service', () => {
  it('adds the data holders to the team and asks the process to open ingress for them', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.ingressInitiationRequested, ID);
    await service.initiate(rita, ID, { dataHolders: ['dana', 'dana', 'hugo'] });
    expect(engine.correlated[0]?.variables).toEqual({ dataHolders: ['dana', 'hugo'], initiatedBy: 'rita' });
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER').map((m) => m.userId)).toEqual(['dana', 'hugo']);
  });

  it('refuses unknown people, non-data-holders and members of another team, adding nobody and sending nothing', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.ingressInitiationRequested, ID);
    const unknown = await service.initiate(rita, ID, { dataHolders: ['dana', 'zoe'] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).details.errors).toEqual([{ path: 'body.dataHolders[1]', message: expect.stringMatching(/^"zoe" is not a known user/) }]);
    await expect(service.initiate(rita, ID, { dataHolders: ['alice'] })).rejects.toThrow(/"alice" cannot join the data holders: it holds only people with the role data-holder/);
    permits.memberRows.push({ permitId: ID, userId: 'hugo', teamRole: 'RESEARCH_TEAM', addedBy: 'x', addedAt: '' });
    await expect(service.initiate(rita, ID, { dataHolders: ['hugo'] })).rejects.toBeInstanceOf(ConflictError);
    expect(engine.correlated).toEqual([]);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER')).toEqual([]);
    expect(permits.permits.get(ID)?.version).toBe(1);
    expect(permits.audits).toEqual([]);
  });

  it('adds nobody when the process is not waiting for ingress', async () => {
    const { permits, service } = setup();
    await expect(service.initiate(rita, ID, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER')).toEqual([]);
    expect(permits.permits.get(ID)?.version).toBe(1);
  });

  it("confirms a data holder's upload under the key of that holder", async () => {
    const { permits, engine, service } = setup();
    permits.setStatus(ID, 'DATA_INGRESS_PENDING');
    permits.memberRows.push({ permitId: ID, userId: 'dana', teamRole: 'DATA_HOLDER', addedBy: 'rita', addedAt: '' });
    engine.expectMessage(MESSAGES.ingressUploadConfirmed, `${ID}/dana`);
    await service.confirmUpload(dana, ID, manifest);
    expect(engine.correlated[0]).toEqual({ name: MESSAGES.ingressUploadConfirmed, correlationKey: `${ID}/dana`, variables: { uploadManifest: manifest, confirmedBy: 'dana' } });
    await expect(service.confirmUpload(rita, ID, manifest)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
