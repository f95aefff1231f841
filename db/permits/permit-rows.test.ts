import { describe, expect, it } from 'vitest';
import { toMember, toPermit, toStatusHistoryEntry, type PermitRow } from './permit-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('permit row mappers', () => {
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

  it('map a status history row whether the driver gave its bigint id as a string (pg) or a number (PGlite)', () => {
    const history = { id: '7', permit_id: 'p1', previous_status: null, new_status: 'DRAFT' as const, actor: 'alice', reason: null, version: 1, process_instance_key: null, occurred_at: at };
    expect(toStatusHistoryEntry(history)).toEqual({ id: 7, permitId: 'p1', previousStatus: null, newStatus: 'DRAFT', actor: 'alice', reason: null, version: 1, processInstanceKey: null, occurredAt: at.toISOString() });
    expect(toStatusHistoryEntry({ ...history, id: 7 }).id).toBe(7);
  });

  it('map a member row, and refuse a value that is no timestamp', () => {
    expect(toMember({ permit_id: 'p1', user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'rita', added_at: at })).toEqual({ permitId: 'p1', userId: 'dana', teamRole: 'DATA_HOLDER', addedBy: 'rita', addedAt: at.toISOString() });
    expect(() => toMember({ permit_id: 'p', user_id: 'u', team_role: 'HDAB_TEAM', added_by: 'a', added_at: 'yesterday' })).toThrow('Not a timestamp: yesterday');
  });
});
