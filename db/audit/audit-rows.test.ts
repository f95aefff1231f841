import { describe, expect, it } from 'vitest';
import { toAuditEntry } from './audit-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('audit rows', () => {
  it('map an audit entry with its chain hashes', () => {
    expect(toAuditEntry({ seq: 1, occurred_at: at, actor: 'a', action: 'x', permit_id: null, details: {}, idempotency_key: null, prev_hash: '0', hash: '1' })).toMatchObject({ seq: 1, prevHash: '0', hash: '1' });
  });
});
