/**
 * Malformed requests get 400 problem+json naming what is wrong, and store nothing: the row counts of every
 * Permit Manager table are the same before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS } from '../../../shared/index.js';
import { createPermit, request, waitForTask } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { submittedPermit, usersOf, type Users } from './drive-permit.js';

const TABLES = ['permits', 'permit_members', 'permit_status_history', 'review_decisions', 'egress_requests', 'outbox_events', 'audit_log'];

describe('malformed requests', () => {
  let pm: PermitManagerForTest;
  let users: Users;
  let permitId: string;
  let alice: string;
  let rita: string;
  let assessmentTask: string;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
    permitId = (await createPermit(users.alice)).id;
    const submitted = await submittedPermit(pm, users);
    assessmentTask = (await waitForTask(users.rita, submitted.id, FORM_IDS.applicationAssessment)).userTaskKey;
    alice = await pm.tokenFor('alice');
    rita = await pm.tokenFor('rita');
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  async function counts(): Promise<Record<string, number>> {
    const entries = await Promise.all(TABLES.map(async (table) => [table, Number((await pm.knex(table).count({ n: '*' }))[0]?.n)] as const));
    return Object.fromEntries(entries);
  }

  const cases: { name: string; method: string; path: () => string; token: () => string; body?: unknown; raw?: string; field?: string }[] = [
    { name: 'JSON that does not parse', method: 'POST', path: () => '/permits', token: () => alice, raw: '{"title": "x",' },
    { name: 'a permit without validUntil', method: 'POST', path: () => '/permits', token: () => alice, body: { title: 'Study', purpose: 'A long enough purpose' }, field: 'body.validUntil' },
    { name: 'a permit with a wrong type', method: 'POST', path: () => '/permits', token: () => alice, body: { title: 42, purpose: 'A long enough purpose', validUntil: '2030-01-01T00:00:00Z' }, field: 'body.title' },
    { name: 'a permit with an unknown field', method: 'POST', path: () => '/permits', token: () => alice, body: { title: 'Study', purpose: 'A long enough purpose', validUntil: '2030-01-01T00:00:00Z', status: 'APPROVED' } },
    { name: 'a permit valid in the past', method: 'POST', path: () => '/permits', token: () => alice, body: { title: 'Study', purpose: 'A long enough purpose', validUntil: '2001-01-01T00:00:00Z' }, field: 'body.validUntil' },
    { name: 'a review with an unknown stage', method: 'POST', path: () => `/permits/${permitId}/review`, token: () => rita, body: { stage: 'LUNCH', decision: 'APPROVED' }, field: 'body.stage' },
    { name: 'a rejection without a comment', method: 'POST', path: () => `/permits/${permitId}/review`, token: () => rita, body: { stage: 'SETUP', decision: 'REJECTED' }, field: 'body.comment' },
    { name: 'a decision the stage does not take', method: 'POST', path: () => `/permits/${permitId}/review`, token: () => rita, body: { stage: 'SETUP', decision: 'INFO_REQUESTED' }, field: 'body.decision' },
    { name: 'a member with an unknown team role', method: 'POST', path: () => `/permits/${permitId}/members`, token: () => rita, body: { userId: 'bob', teamRole: 'OWNER' }, field: 'body.teamRole' },
    { name: 'a member nobody knows', method: 'POST', path: () => `/permits/${permitId}/members`, token: () => rita, body: { userId: 'zoe', teamRole: 'RESEARCH_TEAM' }, field: 'body.userId' },
    { name: 'a researcher for the HDAB team', method: 'POST', path: () => `/permits/${permitId}/members`, token: () => rita, body: { userId: 'alice', teamRole: 'HDAB_TEAM' }, field: 'body.userId' },
    { name: 'a data holder for the research team', method: 'POST', path: () => `/permits/${permitId}/members`, token: () => rita, body: { userId: 'dana', teamRole: 'RESEARCH_TEAM' }, field: 'body.userId' },
    {
      name: 'a permit with a member nobody knows',
      method: 'POST',
      path: () => '/permits',
      token: () => alice,
      body: { title: 'Study', purpose: 'A long enough purpose', validUntil: '2030-01-01T00:00:00Z', members: [{ userId: 'zoe' }] },
      field: 'body.members[0].userId',
    },
    {
      name: 'an approval whose end date is no date',
      method: 'POST',
      path: () => `/tasks/${assessmentTask}/complete`,
      token: () => rita,
      body: { variables: { assessmentDecision: 'APPROVED', validUntil: 'not-a-date' } },
      field: 'body.variables.validUntil',
    },
    {
      name: 'an approval whose end date has passed',
      method: 'POST',
      path: () => `/tasks/${assessmentTask}/complete`,
      token: () => rita,
      body: { variables: { assessmentDecision: 'APPROVED', validUntil: '2001-01-01T23:59Z' } },
      field: 'body.variables.validUntil',
    },
    { name: 'a decision the form does not offer', method: 'POST', path: () => `/tasks/${assessmentTask}/complete`, token: () => rita, body: { variables: { assessmentDecision: 'MAYBE' } }, field: 'body.variables.assessmentDecision' },
    { name: 'ingress without data holders', method: 'POST', path: () => `/permits/${permitId}/ingress`, token: () => rita, body: { dataHolders: [] }, field: 'body.dataHolders' },
    { name: 'an upload manifest with a bad checksum', method: 'POST', path: () => `/permits/${permitId}/ingress/uploads`, token: () => alice, body: { manifest: { files: [{ path: 'a', sha256: 'xyz', sizeBytes: 1 }] } }, field: 'body.manifest.files.0.sha256' },
    { name: 'an egress request without files', method: 'POST', path: () => `/permits/${permitId}/egress-requests`, token: () => alice, body: { title: 'Table', files: [] }, field: 'body.files' },
    { name: 'a permit id that is not a uuid', method: 'GET', path: () => '/permits/not-a-uuid', token: () => alice, field: 'params.id' },
    { name: 'a list query with a bad limit', method: 'GET', path: () => '/permits?limit=0', token: () => alice, field: 'query.limit' },
    { name: 'a suspension without a reason', method: 'POST', path: () => `/permits/${permitId}/suspend`, token: () => rita, body: {}, field: 'body.reason' },
    { name: 'an amendment that changes nothing', method: 'POST', path: () => `/permits/${permitId}/amendments`, token: () => alice, body: { summary: 'Nothing' } },
    { name: 'task variables that are not an object', method: 'POST', path: () => '/tasks/123/complete', token: () => rita, body: { variables: ['a'] }, field: 'body.variables' },
    { name: 'an If-Match that is not an entity tag', method: 'POST', path: () => `/permits/${permitId}/submit`, token: () => alice },
  ];

  it.each(cases)('answers 400 problem+json to $name and stores nothing', async (c) => {
    const before = await counts();
    const headers = c.name.startsWith('an If-Match') ? { 'if-match': 'version-3' } : undefined;
    const answer = await request<{ status: number; errors?: { path: string }[] }>(pm.baseUrl, c.method, c.path(), {
      token: c.token(),
      ...(c.raw !== undefined ? { rawBody: c.raw } : c.body !== undefined ? { body: c.body } : {}),
      ...(headers ? { headers } : {}),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.status).toBe(400);
    const paths = answer.body.errors?.map((e) => e.path) ?? [];
    expect(c.field === undefined || paths.includes(c.field), `errors name ${c.field ?? '(any)'}: ${paths.join(', ')}`).toBe(true);
    expect(await counts()).toEqual(before);
  });
});
