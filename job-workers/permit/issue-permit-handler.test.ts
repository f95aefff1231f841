import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, silentLogger } from '../testing/make-worker-job.js';
import { createFakePermitWorkerStore, type FakePermitWorkerStore } from './fake-permit-worker-store.js';
import { createIssuePermitHandler } from './issue-permit-handler.js';

describe('permit.issue', () => {
  let permits: FakePermitWorkerStore;
  const now = new Date('2026-03-01T10:00:00Z');
  beforeEach(() => {
    permits = createFakePermitWorkerStore();
    permits.addPermit('P-1', 'UNDER_ASSESSMENT');
  });
  const handler = () => createIssuePermitHandler({ permits, clock: () => now });
  const job = (variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    makeWorkerJob({ type: TASK_TYPES.permitIssue, headers, variables: { permitId: 'P-1', ...variables } });

  it('approves the permit with its validity window and publishes permit.analysis.approved', async () => {
    await handler()(job({ validUntil: '2027-03-01T00:00:00Z' }), silentLogger);
    expect(permits.permits.get('P-1')).toMatchObject({ status: 'APPROVED', validFrom: now, validUntil: new Date('2027-03-01T00:00:00Z') });
    expect(permits.outbox.map((e) => e.name)).toEqual([EVENTS.statusUpdated, EVENTS.analysisApproved]);
    expect(permits.outbox[1]?.payload).toMatchObject({ validUntil: '2027-03-01T00:00:00.000Z', newStatus: 'APPROVED' });
  });

  it('takes a calendar date as the end of that day', async () => {
    await handler()(job({ validUntil: '2027-03-01' }), silentLogger);
    expect(permits.permits.get('P-1')?.validUntil).toEqual(new Date('2027-03-01T23:59:59.999Z'));
  });

  it.each([
    // The shapes the application assessment form's datetime field submits (form-js), and what each means in UTC.
    ['2027-06-30T23:59Z', '2027-06-30T23:59:00.000Z'],
    ['2027-06-30T23:59+01:00', '2027-06-30T22:59:00.000Z'],
    ['2027-06-30T23:59-04:00', '2027-07-01T03:59:00.000Z'],
    ['2027-06-30T23:59', '2027-06-30T23:59:00.000Z'],
    ['2027-06-30T23:59:59.999Z', '2027-06-30T23:59:59.999Z'],
  ])('issues the permit until %s, i.e. %s, and hands that instant back to the process', async (validUntil, utc) => {
    expect(await handler()(job({ validUntil }), silentLogger)).toEqual({ variables: { validUntil: utc } });
    expect(permits.permits.get('P-1')).toMatchObject({ status: 'APPROVED', validUntil: new Date(utc) });
    expect(permits.outbox[1]?.payload).toMatchObject({ validUntil: utc });
  });

  it('issues once however often the job is delivered', async () => {
    const theJob = job({ validUntil: '2027-03-01T00:00:00Z' });
    await handler()(theJob, silentLogger);
    await handler()(theJob, silentLogger);
    expect(permits.history).toHaveLength(1);
  });

  it('refuses a missing, malformed or past validUntil', async () => {
    await expect(handler()(job({}), silentLogger)).rejects.toThrow('variable "validUntil" is missing');
    await expect(handler()(job({ validUntil: 'next year' }), silentLogger)).rejects.toThrow(/variable "validUntil": must be an ISO 8601 date-time/);
    await expect(handler()(job({ validUntil: 'not-a-date' }), silentLogger)).rejects.toThrow(/variable "validUntil": must be an ISO 8601 date-time/);
    await expect(handler()(job({ validUntil: '2027-02-30T10:00Z' }), silentLogger)).rejects.toThrow(/variable "validUntil": must be/);
    await expect(handler()(job({ validUntil: 20270630 }), silentLogger)).rejects.toThrow(/variable "validUntil"/);
    await expect(handler()(job({ validUntil: '2026-01-01T00:00:00Z' }), silentLogger)).rejects.toThrow(/is not after the time of issue/);
  });
});
