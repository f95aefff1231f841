/** The decision listener's reads on the real database: teams, authors from the audit log and output requests, earlier reviews, directory roles. */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEgressRequest, insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { TABLES, appendAudit, type Database } from '../../db/index.js';
import { createKnexDecisionStore } from './knex-decision-store.js';

describe.each(testDatabaseTargets())('decision store on $name', (target) => {
  let db: Database;
  let knex: Knex;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('reads the teams and creator, the authors of what is decided, reviews of a request and directory roles', async () => {
    const permit = await insertPermit(knex, { status: 'UNDER_ASSESSMENT' });
    await knex(TABLES.permitMembers).insert([
      { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
      { permit_id: permit.id, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'system' },
    ]);
    await appendAudit(knex, { actor: 'bob', action: 'permit.submit', permitId: permit.id, details: {} });
    await appendAudit(knex, { actor: 'carol', action: 'permit.request-amendment', permitId: permit.id, details: { variables: { amendment: { validUntil: '2028-01-01T23:59:59Z' } } } });
    await appendAudit(knex, { actor: 'rita', action: 'permit.request-amendment', permitId: permit.id, details: { variables: { amendment: { addMembers: [{ userId: 'x', teamRole: 'RESEARCH_TEAM' }] } } } });
    const request = await insertEgressRequest(knex, permit.id, { status: 'IN_REVIEW' });
    await knex(TABLES.egressRequests).where({ id: request.id }).update({ submitted_by: 'bob' });
    await knex(TABLES.reviewDecisions).insert({ id: 'R-1', permit_id: permit.id, stage: 'EGRESS', decision: 'APPROVED', reviewer: 'rita', egress_request_id: request.id, user_task_key: '11' });
    await knex(TABLES.userDirectory).insert({ user_id: 'adam', display_name: 'Adam', roles: JSON.stringify(['admin']) });

    const store = createKnexDecisionStore(knex);
    expect(await store.parties(permit.id)).toEqual({
      createdBy: 'alice',
      members: expect.arrayContaining([
        { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
        { userId: 'rita', teamRole: 'HDAB_TEAM' },
      ]),
      auditActors: [],
    });
    // With audit actions, their actors (oldest first) come in the same query, once however many members there are.
    await appendAudit(knex, { actor: 'dave', action: 'permit.provide-info', permitId: permit.id, details: {} });
    expect(await store.parties(permit.id, ['permit.submit', 'permit.provide-info'])).toMatchObject({ createdBy: 'alice', auditActors: ['bob', 'dave'] });
    expect(await store.parties('no-such-permit')).toBeUndefined();
    expect(await store.authors(permit.id, { kind: 'audit-actions', actions: ['permit.submit', 'permit.provide-info'] }, {})).toEqual(['bob', 'dave']);
    expect(await store.authors(permit.id, { kind: 'egress-request' }, { egressRequestId: request.id })).toEqual(['alice', 'bob']);
    const amendment = { kind: 'amendment-request', action: 'permit.request-amendment' } as const;
    expect(await store.authors(permit.id, amendment, { amendment: { validUntil: '2028-01-01T23:59:59Z' } })).toEqual(['carol']);
    // An amendment that matches no request: every requester counts (stricter, never looser).
    expect(await store.authors(permit.id, amendment, { amendment: { validUntil: '2030-01-01T00:00:00Z' } })).toEqual(['carol', 'rita']);
    expect(await store.egressReviews(request.id)).toEqual([{ userTaskKey: '11', reviewer: 'rita', decision: 'APPROVED' }]);
    expect(await store.directoryRoles('adam')).toEqual(['admin']);
    expect(await store.directoryRoles('nobody')).toEqual([]);
  });
});
