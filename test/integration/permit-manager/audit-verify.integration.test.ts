/**
 * The audit log's hash chain verified through the API: intact after real activity, then an edited and a deleted
 * entry (made the way a DBA could, with the append-only trigger switched off) are both reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPermit, expectStatus } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { usersOf, type Users } from './drive-permit.js';

interface Verification {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: string }[];
}

describe('audit log verification over the API', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest({ workers: false });
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  it('reports an intact chain, then an edited and a deleted entry', async () => {
    for (let i = 0; i < 3; i++) {
      const permit = await createPermit(users.alice, { title: `Audited permit ${i}` });
      await pm.signIn(`member-${i}`, { roles: ['researcher'] });
      expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId: `member-${i}`, teamRole: 'RESEARCH_TEAM' }), 201, 'add member');
    }
    const intact = expectStatus(await users.adam.post<Verification>('/audit/verify'), 200, 'verify').body;
    expect(intact).toMatchObject({ ok: true, problems: [] });
    expect(intact.checked).toBeGreaterThanOrEqual(6);

    const trail = (await users.alice.get<{ items: { seq: number; action: string }[] }>(`/audit?permitId=${(await users.alice.get<{ items: { id: string }[] }>('/permits')).body.items[0]?.id}`)).body.items;
    expect(trail.map((e) => e.action)).toContain('permit.created');

    await pm.knex.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await pm.knex('audit_log').where({ seq: 2 }).update({ actor: 'mallory' });
    await pm.knex('audit_log').where({ seq: 4 }).delete();
    await pm.knex.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');

    const broken = expectStatus(await users.adam.post<Verification>('/audit/verify'), 200, 'verify').body;
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual(expect.arrayContaining([{ seq: 2, problem: 'edited' }, { seq: 4, problem: 'deleted' }]));
    expect((await users.alice.post('/audit/verify')).status).toBe(403);
  });
});
