import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, MESSAGES, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createApplyAmendmentHandler } from './apply-amendment-handler.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';

describe('permit.apply-amendment', () => {
  let permits: FakePermitWorkerStore;
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
    permits.addPermit('P-1', 'ANALYSIS_ACTIVE');
    permits.members.push({ permitId: 'P-1', userId: 'bob', teamRole: 'RESEARCH_TEAM', addedBy: 'alice' });
    permits.members.push({ permitId: 'P-1', userId: 'rita', teamRole: 'HDAB_TEAM', addedBy: 'alice' });
    for (const [userId, roles] of [['bob', ['researcher']], ['carol', ['researcher']], ['rita', ['hdab-reviewer']], ['hank', ['researcher', 'hdab-reviewer']], ['dana', ['data-holder']]] as const) {
      permits.users.set(userId, roles);
    }
  });
  const handler = () => createApplyAmendmentHandler({ permits });
  const job = (amendment: unknown) =>
    makeWorkerJob({ type: TASK_TYPES.permitApplyAmendment, bpmnProcessId: 'spe-permit-amendment', variables: { permitId: 'P-1', amendment } });

  it('extends validity, adds and removes members, audits and publishes permit.amended and the team change', async () => {
    await handler()(job({ validUntil: '2028-01-01T00:00:00Z', addMembers: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }], removeMembers: [{ userId: 'bob' }] }), silentLogger);
    expect(permits.permits.get('P-1')?.validUntil).toEqual(new Date('2028-01-01T00:00:00Z'));
    expect(permits.members.map((m) => m.userId)).toEqual(['rita', 'carol']);
    expect(permits.audit).toHaveLength(1);
    expect(permits.outbox.map((e) => e.name)).toEqual([EVENTS.amended, EVENTS.membersChanged]);
    expect(permits.outbox[1]?.payload).toEqual({ added: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }], removed: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] });
  });

  it('applies once however often the job is delivered', async () => {
    const theJob = job({ addMembers: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }] });
    await handler()(theJob, silentLogger);
    await handler()(theJob, silentLogger);
    expect(permits.outbox.map((e) => e.name)).toEqual([EVENTS.amended, EVENTS.membersChanged]);
    expect(permits.permits.get('P-1')?.version).toBe(2);
  });

  it('publishes a new end date to the running analysis (permit.validity-changed), and nothing for other changes', async () => {
    const published: unknown[] = [];
    const messages = { publish: async (message: unknown) => void published.push(message) };
    const extend = job({ validUntil: '2028-01-01T00:00:00Z' });
    await createApplyAmendmentHandler({ permits, messages })(extend, silentLogger);
    await createApplyAmendmentHandler({ permits, messages })(job({ addMembers: [{ userId: 'carol', teamRole: 'RESEARCH_TEAM' }] }), silentLogger);
    expect(published).toEqual([
      {
        name: MESSAGES.validityChanged,
        correlationKey: 'P-1',
        variables: { validUntil: '2028-01-01T00:00:00.000Z' },
        messageId: `validity-changed/${TASK_TYPES.permitApplyAmendment}/P-1/${extend.elementInstanceKey}`,
      },
    ]);
  });

  it('applies nothing and raises an incident when its new members break the team rules by now', async () => {
    permits.members.push({ permitId: 'P-1', userId: 'hank', teamRole: 'RESEARCH_TEAM', addedBy: 'alice' });
    const before = { members: [...permits.members], version: permits.permits.get('P-1')?.version };
    await expect(handler()(job({ validUntil: '2028-01-01T00:00:00Z', addMembers: [{ userId: 'zoe', teamRole: 'RESEARCH_TEAM' }] }), silentLogger)).rejects.toThrow(
      /cannot be applied, its member changes break the team rules: "zoe" is not a known user/,
    );
    await expect(handler()(job({ addMembers: [{ userId: 'dana', teamRole: 'HDAB_TEAM' }] }), silentLogger)).rejects.toThrow(/"dana" cannot join the HDAB team/);
    await expect(handler()(job({ addMembers: [{ userId: 'hank', teamRole: 'HDAB_TEAM' }] }), silentLogger)).rejects.toThrow(/"hank" is already on this permit's research team/);
    expect({ members: permits.members, version: permits.permits.get('P-1')?.version, audit: permits.audit, outbox: permits.outbox }).toEqual({ ...before, audit: [], outbox: [] });
    await handler()(job({ removeMembers: [{ userId: 'hank' }], addMembers: [{ userId: 'hank', teamRole: 'HDAB_TEAM' }] }), silentLogger);
    expect(permits.members.filter((m) => m.userId === 'hank').map((m) => m.teamRole)).toEqual(['HDAB_TEAM']);
  });

  it('refuses an amendment that changes nothing or names an unknown team role', async () => {
    await expect(handler()(job({}), silentLogger)).rejects.toThrow(/variable "amendment": must change something/);
    await expect(handler()(job({ addMembers: [{ userId: 'x', teamRole: 'CAPTAIN' }] }), silentLogger)).rejects.toThrow(/amendment\.addMembers\.0\.teamRole/);
  });
});
