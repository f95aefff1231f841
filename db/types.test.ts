import { describe, expect, it } from 'vitest';
import { toAuditEntry, toDirectoryRoles, toEgressRequest, toMember, toNumber, toOutboxEvent, toPermit, toReviewDecision, toStatusHistoryEntry, toWorkspace, type PermitRow } from './types.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('row mappers', () => {
  it('map a permit row to a plain camelCase object with ISO timestamps', () => {
    const row: PermitRow = {
      id: 'p1', title: 'T', purpose: 'P', status: 'APPROVED', valid_from: at, valid_until: '2027-04-01 00:00:00+00', deletion_grace_period: 'P30D',
      process_instance_key: '2251799813685249', created_by: 'alice', created_at: at, updated_at: at, version: 3,
    };
    expect(toPermit(row)).toEqual({
      id: 'p1', title: 'T', purpose: 'P', status: 'APPROVED', validFrom: '2026-04-01T08:30:00.123Z', validUntil: '2027-04-01T00:00:00.000Z', deletionGracePeriod: 'P30D',
      processInstanceKey: '2251799813685249', createdBy: 'alice', createdAt: '2026-04-01T08:30:00.123Z', updatedAt: '2026-04-01T08:30:00.123Z', version: 3,
    });
    expect(toPermit({ ...row, valid_from: null, valid_until: null })).toMatchObject({ validFrom: null, validUntil: null });
  });

  it('turn bigint columns into numbers whether the driver gave a string (pg) or a number (PGlite)', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber(42)).toBe(42);
    expect(() => toNumber('9223372036854775807')).toThrow('Not a safe integer');
    const history = { id: '7', permit_id: 'p1', previous_status: null, new_status: 'DRAFT' as const, actor: 'alice', reason: null, version: 1, process_instance_key: null, occurred_at: at };
    expect(toStatusHistoryEntry(history)).toEqual({ id: 7, permitId: 'p1', previousStatus: null, newStatus: 'DRAFT', actor: 'alice', reason: null, version: 1, processInstanceKey: null, occurredAt: at.toISOString() });
  });

  it('map the other tables', () => {
    expect(toMember({ permit_id: 'p1', user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'rita', added_at: at })).toEqual({ permitId: 'p1', userId: 'dana', teamRole: 'DATA_HOLDER', addedBy: 'rita', addedAt: at.toISOString() });
    expect(
      toReviewDecision({ id: 'r1', permit_id: 'p1', stage: 'EGRESS', decision: 'APPROVED', comment: null, checklist: undefined, reviewer: 'rita', submitted_by: 'alice', egress_request_id: 'e1', user_task_key: '9', decided_at: at }),
    ).toMatchObject({ stage: 'EGRESS', checklist: null, submittedBy: 'alice', egressRequestId: 'e1', userTaskKey: '9', decidedAt: at.toISOString() });
    expect(
      toEgressRequest({ id: 'e1', permit_id: 'p1', status: 'DRAFT', title: 't', files: [{ path: 'a.csv' }], disclosure_checks: null, required_reviews: 2, created_by: 'alice', submitted_by: null, created_at: at, updated_at: at, version: 1 }),
    ).toMatchObject({ files: [{ path: 'a.csv' }], requiredReviews: 2, disclosureChecks: null });
    expect(toWorkspace({ permit_id: 'p1', phase: 'setup', desired_state: { network: 'proxied' }, observed_state: null, updated_at: at })).toEqual({
      permitId: 'p1', phase: 'setup', desiredState: { network: 'proxied' }, observedState: null, updatedAt: at.toISOString(),
    });
    expect(toOutboxEvent({ seq: '3', id: 'u', name: 'permit.closed', permit_id: null, payload: {}, occurred_at: at, published_at: null, attempts: 0, last_error: null })).toMatchObject({ seq: 3, publishedAt: null });
    expect(toAuditEntry({ seq: 1, occurred_at: at, actor: 'a', action: 'x', permit_id: null, details: {}, idempotency_key: null, prev_hash: '0', hash: '1' })).toMatchObject({ seq: 1, prevHash: '0', hash: '1' });
  });

  it('read directory roles whether jsonb arrives parsed or as text, keeping only strings', () => {
    expect(toDirectoryRoles(['researcher', 'admin'])).toEqual(['researcher', 'admin']);
    expect(toDirectoryRoles('["hdab-reviewer"]')).toEqual(['hdab-reviewer']);
    expect(toDirectoryRoles(['admin', 7, null])).toEqual(['admin']);
    expect(toDirectoryRoles(null)).toEqual([]);
  });

  it('refuse a value that is no timestamp', () => {
    expect(() => toMember({ permit_id: 'p', user_id: 'u', team_role: 'HDAB_TEAM', added_by: 'a', added_at: 'yesterday' })).toThrow('Not a timestamp: yesterday');
  });
});
