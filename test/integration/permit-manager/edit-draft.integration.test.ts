/**
 * PATCH /api/permits/{id} over HTTP on the real Permit Manager (PGlite, or PostgreSQL when DATABASE_URL is set):
 * the research team edits its DRAFT application; the change, its version bump, audit entry and outbox event land
 * together; an identical repeat changes nothing; every refusal is problem+json and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../shared/index.js';
import { waitFor } from '../../support/wait-for.js';
import { as, createPermit, expectStatus, request, waitForStatus, waitForSubscription, type PermitBody } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';

describe('editing a DRAFT application (PATCH /api/permits/{id})', () => {
  let pm: PermitManagerForTest;
  let aliceToken: string;
  let ritaToken: string;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    aliceToken = await pm.tokenFor('alice');
    ritaToken = await pm.tokenFor('rita');
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  const patch = <T = Record<string, unknown>>(token: string, permitId: string, body: unknown, headers: Record<string, string> = {}) =>
    request<T>(pm.baseUrl, 'PATCH', `/permits/${permitId}`, { token, body, headers });

  async function footprint(permitId: string) {
    const count = async (table: string, where: Record<string, unknown> = {}) =>
      Number(((await pm.knex(table).where({ permit_id: permitId, ...where }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
    const permit = (await pm.knex('permits').where({ id: permitId }).first('version', 'status', 'title', 'purpose')) as Record<string, unknown>;
    return { ...permit, audit: await count('audit_log'), events: await count('outbox_events', { name: 'permit.draft.edited' }) };
  }

  it('changes the fields sent in one transaction with the version bump, audit entry and event; a repeat changes nothing', async () => {
    const permit = await createPermit(as(pm, aliceToken), { title: 'Cohort draft' });
    const before = await footprint(permit.id);
    const edited = await patch<PermitBody>(aliceToken, permit.id, { title: 'Cohort study 2010-2020', deletionGracePeriod: 'P14D' }, { 'if-match': `"${permit.version}"` });
    expect([edited.status, edited.headers.get('etag'), edited.body.title, edited.body.deletionGracePeriod, edited.body.status]).toEqual([
      200,
      `"${permit.version + 1}"`,
      'Cohort study 2010-2020',
      'P14D',
      'DRAFT',
    ]);
    expect(await footprint(permit.id)).toMatchObject({ version: permit.version + 1, title: 'Cohort study 2010-2020', audit: before.audit + 1, events: 1 });
    const entry = (await pm.knex('audit_log').where({ permit_id: permit.id, action: 'permit.edit-draft' }).first('actor', 'details')) as { actor: string; details: unknown };
    const details = typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details;
    expect({ actor: entry.actor, details }).toEqual({
      actor: 'alice',
      details: { changes: { title: 'Cohort study 2010-2020', deletionGracePeriod: 'P14D' }, previous: { title: 'Cohort draft', deletionGracePeriod: null } },
    });

    // The same request again, with the ETag it was sent with: already done, so 200 and nothing more written.
    const repeat = await patch<PermitBody>(aliceToken, permit.id, { title: 'Cohort study 2010-2020', deletionGracePeriod: 'P14D' }, { 'if-match': `"${permit.version}"` });
    expect([repeat.status, repeat.body.version]).toEqual([200, permit.version + 1]);
    expect(await footprint(permit.id)).toMatchObject({ version: permit.version + 1, audit: before.audit + 1, events: 1 });
  });

  it('refuses bad input, a stale If-Match and people who may not submit the permit, changing nothing', async () => {
    const permit = await createPermit(as(pm, aliceToken), { title: 'Refusals draft' });
    const before = await footprint(permit.id);
    const cases: [string, Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>, number, RegExp][] = [
      ['empty body', patch(aliceToken, permit.id, {}), 400, /at least one field to change/],
      ['unknown field', patch(aliceToken, permit.id, { status: 'APPROVED' }), 400, /status/],
      ['short title', patch(aliceToken, permit.id, { title: 'ab' }), 400, /body\.title/],
      ['NUL in purpose', patch(aliceToken, permit.id, { purpose: 'A purpose with a \u0000 in it' }), 400, /body\.purpose/],
      ['end in the past', patch(aliceToken, permit.id, { validUntil: '2001-01-01T00:00:00Z' }), 400, /body\.validUntil must be in the future/],
      ['ten-year-plus grace', patch(aliceToken, permit.id, { deletionGracePeriod: 'P11Y' }), 400, /ten years/],
      ['stale If-Match', patch(aliceToken, permit.id, { title: 'Stale edit' }, { 'if-match': `"${permit.version + 7}"` }), 412, /has changed/],
      ['HDAB reviewer', patch(ritaToken, permit.id, { title: 'Reviewer edit' }), 403, /Only researcher on the permit's RESEARCH_TEAM may edit draft/],
      ['no token', request(pm.baseUrl, 'PATCH', `/permits/${permit.id}`, { body: { title: 'Anonymous' } }), 401, /./],
    ];
    for (const [what, answer, status, detail] of cases) {
      const { status: got, headers, body } = await answer;
      expect({ what, got, problem: headers.get('content-type')?.startsWith('application/problem+json'), detail: JSON.stringify(body) }).toEqual({
        what,
        got: status,
        problem: true,
        detail: expect.stringMatching(detail),
      });
    }
    expect(await footprint(permit.id)).toEqual(before);
  });

  it('refuses once the application is submitted (409 saying why), and the submission carries the edited draft', async () => {
    const permit = await createPermit(as(pm, aliceToken), { title: 'Submitted draft' });
    const alice = as(pm, aliceToken);
    const edited = expectStatus(await patch<PermitBody>(aliceToken, permit.id, { purpose: 'Estimate outcomes in the edited cohort definition' }), 200, 'edit');
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    expectStatus(await alice.post(`/permits/${permit.id}/submit`, undefined, { 'if-match': `"${edited.body.version}"` }), 202, 'submit');
    await waitForStatus(alice, permit.id, 'SUBMITTED');
    const before = await footprint(permit.id);
    const late = await patch<{ detail: string; currentStatus: string; allowedActions: string[] }>(aliceToken, permit.id, { title: 'After submission' });
    expect([late.status, late.body.currentStatus, late.body.detail]).toEqual([409, expect.stringMatching(/SUBMITTED|UNDER_ASSESSMENT/), expect.stringMatching(/"edit-draft" is allowed only in DRAFT/)]);
    expect(late.body.allowedActions).not.toContain('edit-draft');
    expect(await footprint(permit.id)).toEqual(before);
    expect(before).toMatchObject({ purpose: 'Estimate outcomes in the edited cohort definition' });
    // The process has the application as submitted (the reviewers' forms show it), not as it was created.
    const editedPurpose = JSON.stringify('Estimate outcomes in the edited cohort definition');
    await waitFor('the edited purpose in the application process', async () => {
      const page = (await pm.camunda.searchVariables({ filter: { name: 'permitPurpose' }, page: { limit: 1000 } } as never, { consistency: { waitUpToMs: 0 } })) as { items?: { value?: string }[] };
      return page.items?.some((item) => item.value === editedPurpose);
    });
  });

  it('makes one change of concurrent identical edits: the others answer the permit as it is or 412, never a second entry', async () => {
    const permit = await createPermit(as(pm, aliceToken), { title: 'Concurrent draft' });
    const before = await footprint(permit.id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => patch<PermitBody>(aliceToken, permit.id, { title: 'Concurrent edit' }, { 'if-match': `"${permit.version}"` })));
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 412)).toBe(true);
    expect(await footprint(permit.id)).toMatchObject({ version: permit.version + 1, title: 'Concurrent edit', audit: before.audit + 1, events: 1 });
  });
});
