/**
 * A NUL byte (or a lone surrogate) anywhere gets 400 problem+json naming the field and changes nothing: no row in
 * any Permit Manager table, no process step, no message. The ingress upload is the case that once went wrong (the
 * engine took the upload, then the database refused the text): here the process still waits for the upload after
 * the refusals, and takes a clean one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../shared/index.js';
import { expectStatus, request, waitForStatus, waitForSubscription } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { APPLICATION_CHECKLIST, SHA, submittedPermit, usersOf, type Users } from './drive-permit.js';

const TABLES = ['permits', 'permit_members', 'permit_status_history', 'review_decisions', 'egress_requests', 'outbox_events', 'audit_log', 'notifications', 'workspaces'];

describe('NUL bytes and lone surrogates', () => {
  let pm: PermitManagerForTest;
  let users: Users;
  let permitId: string;
  let tokens: Record<'alice' | 'rita' | 'dana', string>;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
    const permit = await submittedPermit(pm, users);
    permitId = permit.id;
    expectStatus(await users.rita.post(`/permits/${permitId}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST }), 201, 'approve application');
    await waitForStatus(users.alice, permitId, 'APPROVED');
    await waitForSubscription(pm, MESSAGES.ingressInitiationRequested, permitId);
    expectStatus(await users.rita.post(`/permits/${permitId}/ingress`, { dataHolders: ['dana'] }), 202, 'initiate ingress');
    await waitForSubscription(pm, MESSAGES.ingressUploadConfirmed, `${permitId}/dana`);
    await waitForStatus(users.alice, permitId, 'DATA_INGRESS_PENDING');
    tokens = { alice: await pm.tokenFor('alice'), rita: await pm.tokenFor('rita'), dana: await pm.tokenFor('dana') };
  }, 180_000);
  afterAll(async () => {
    await pm?.stop();
  });

  async function footprint(): Promise<Record<string, number>> {
    const entries = await Promise.all(TABLES.map(async (table) => [table, Number((await pm.knex(table).count({ n: '*' }))[0]?.n)] as const));
    return Object.fromEntries(entries);
  }

  const file = (path: string) => ({ path, sha256: SHA, sizeBytes: 10 });
  const cases: { name: string; who: 'alice' | 'rita' | 'dana'; method: string; path: () => string; body?: unknown; field: string }[] = [
    { name: 'an upload note', who: 'dana', method: 'POST', path: () => `/permits/${permitId}/ingress/uploads`, body: { manifest: { files: [file('raw/a.csv')], note: 'ok\u0000' } }, field: 'body.manifest.note' },
    { name: 'an upload file path', who: 'dana', method: 'POST', path: () => `/permits/${permitId}/ingress/uploads`, body: { manifest: { files: [file('raw/a\u0000.csv')] } }, field: 'body.manifest.files.0.path' },
    { name: 'an upload note with a lone surrogate', who: 'dana', method: 'POST', path: () => `/permits/${permitId}/ingress/uploads`, body: { manifest: { files: [file('raw/a.csv')], note: '\ud800' } }, field: 'body.manifest.note' },
    { name: 'a permit title', who: 'alice', method: 'POST', path: () => '/permits', body: { title: 'Study\u0000', purpose: 'A long enough purpose', validUntil: '2030-01-01T00:00:00Z' }, field: 'body.title' },
    { name: 'a permit purpose', who: 'alice', method: 'POST', path: () => '/permits', body: { title: 'Study', purpose: 'A long enough \u0000 purpose', validUntil: '2030-01-01T00:00:00Z' }, field: 'body.purpose' },
    { name: 'a member id', who: 'rita', method: 'POST', path: () => `/permits/${permitId}/members`, body: { userId: 'bob\u0000', teamRole: 'RESEARCH_TEAM' }, field: 'body.userId' },
    { name: 'a suspension reason', who: 'rita', method: 'POST', path: () => `/permits/${permitId}/suspend`, body: { reason: 'Incident \u0000' }, field: 'body.reason' },
    { name: 'an output request file path', who: 'alice', method: 'POST', path: () => `/permits/${permitId}/egress-requests`, body: { title: 'Tables', files: [{ path: 'a\u0000.csv' }] }, field: 'body.files.0.path' },
    { name: 'a task comment', who: 'rita', method: 'POST', path: () => '/tasks/123/complete', body: { variables: { comment: 'x\u0000' } }, field: 'body.variables.comment' },
    { name: 'the search q', who: 'alice', method: 'GET', path: () => '/permits?q=a%00b', field: 'query.q' },
    { name: 'a path id', who: 'alice', method: 'GET', path: () => '/permits/a%00b', field: 'params.id' },
    { name: 'a member id in the path', who: 'rita', method: 'DELETE', path: () => `/permits/${permitId}/members/bob%00/RESEARCH_TEAM`, field: 'params.userId' },
  ];

  it.each(cases)('answers 400 naming the field for NUL in $name, and changes nothing', async (c) => {
    const before = await footprint();
    const answer = await request<{ status: number; errors?: { path: string }[] }>(pm.baseUrl, c.method, c.path(), { token: tokens[c.who], ...(c.body !== undefined ? { body: c.body } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors?.map((e) => e.path)).toContain(c.field);
    expect(await footprint()).toEqual(before);
  });

  it('leaves the ingress process waiting for the upload after the refusals, and a clean upload then goes through', async () => {
    expect((await request<{ status: string }>(pm.baseUrl, 'GET', `/permits/${permitId}`, { token: tokens.alice })).body.status).toBe('DATA_INGRESS_PENDING');
    await waitForSubscription(pm, MESSAGES.ingressUploadConfirmed, `${permitId}/dana`);
    const before = await footprint();
    const clean = await request(pm.baseUrl, 'POST', `/permits/${permitId}/ingress/uploads`, { token: tokens.dana, body: { manifest: { files: [file('raw/cohort.csv')], note: 'first delivery' } } });
    expect(clean.status, JSON.stringify(clean.body)).toBe(202);
    expect((await footprint()).audit_log).toBeGreaterThan(before.audit_log!);
  });
});
