import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InvalidTransitionError, MESSAGES, UnavailableError, ValidationError } from '../../shared/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeIngressFeature } from './create-ingress-feature.js';

const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const dana: Caller = { userId: 'dana', name: 'Dana', roles: ['data-holder'] };
const ID = 'cccccccc-0000-4000-8000-000000000001';
const manifest = { files: [{ path: 'raw/cohort.csv', sha256: 'a'.repeat(64), sizeBytes: 1024 }] };

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ID, status: 'APPROVED' }, [{ userId: 'rita', teamRole: 'HDAB_TEAM' }]);
  const engine = createFakeEnginePort();
  const { service, directory } = createFakeIngressFeature({ access: createPermitAccess(permits), engine, permits });
  directory.add('hugo', ['data-holder']);
  return { permits, engine, service };
}

describe('ingress service', () => {
  it('adds the data holders to the team and asks the process to open ingress for them, by message id after the commit', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.ingressInitiationRequested, ID);
    await service.initiate(rita, ID, { dataHolders: ['dana', 'dana', 'hugo'] });
    expect(engine.correlated[0]?.variables).toEqual({ dataHolders: ['dana', 'hugo'], initiatedBy: 'rita' });
    expect(engine.published).toEqual([expect.objectContaining({ name: MESSAGES.ingressInitiationRequested, correlationKey: ID, messageId: `api:permit.initiate-ingress:${ID}:v1`, taken: true })]);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER').map((m) => m.userId)).toEqual(['dana', 'hugo']);
    expect(permits.audits.map((a) => [a.action, a.idempotencyKey])).toEqual([
      ['team.data-holders-added', undefined],
      ['permit.initiate-ingress', `api:permit.initiate-ingress:${ID}:v1`],
    ]);
    expect(permits.commands).toEqual([expect.objectContaining({ messageId: `api:permit.initiate-ingress:${ID}:v1`, status: 'delivered' })]);
    expect(permits.permits.get(ID)?.version).toBe(2);
  });

  it('ten identical concurrent requests: one team change, one audit pair, one message; the others 409', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.ingressInitiationRequested, ID);
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => service.initiate(rita, ID, { dataHolders: ['dana'] })));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true);
    expect(engine.published).toHaveLength(1);
    expect(permits.audits).toHaveLength(2);
    expect(permits.permits.get(ID)?.version).toBe(2);
  });

  it('an engine lost after the commit: the data holders are on the team and the command waits for the relay; a repeat is refused', async () => {
    const { permits, engine, service } = setup();
    engine.expectMessage(MESSAGES.ingressInitiationRequested, ID);
    const publish = engine.publishMessage.bind(engine);
    engine.publishMessage = () => Promise.reject(new UnavailableError('socket hang up'));
    await service.initiate(rita, ID, { dataHolders: ['dana'] });
    expect(permits.commands).toEqual([expect.objectContaining({ messageId: `api:permit.initiate-ingress:${ID}:v1`, status: 'pending' })]);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER').map((m) => m.userId)).toEqual(['dana']);
    engine.publishMessage = publish;
    // The process still waits (the message has not arrived), the permit is at a new version: still one intent.
    await expect(service.initiate(rita, ID, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(ConflictError);
    permits.commands[0]!.status = 'delivered';
    await expect(service.initiate(rita, ID, { dataHolders: ['hugo'] })).rejects.toThrow(/already sent "ingress.initiation-requested"/);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER').map((m) => m.userId)).toEqual(['dana']);
    expect(permits.audits).toHaveLength(2);
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
    expect(engine.published).toEqual([]);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER')).toEqual([]);
    expect(permits.permits.get(ID)?.version).toBe(1);
    expect(permits.audits).toEqual([]);
    expect(permits.commands).toEqual([]);
  });

  it('adds nobody when the process is not waiting for ingress', async () => {
    const { permits, service } = setup();
    await expect(service.initiate(rita, ID, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(permits.memberRows.filter((m) => m.teamRole === 'DATA_HOLDER')).toEqual([]);
    expect(permits.permits.get(ID)?.version).toBe(1);
    expect(permits.commands).toEqual([]);
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
