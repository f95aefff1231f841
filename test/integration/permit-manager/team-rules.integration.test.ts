/**
 * The team rules at the doors that need a running permit (the authorization matrix covers POST /permits and
 * /members on a draft): data holders named when the ingress opens, and members changed by an amendment. Every
 * refusal writes nothing and sends nothing to the process; a person an administrator registered ahead can be named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS, MESSAGES } from '../../../shared/index.js';
import { waitFor } from '../../support/wait-for.js';
import { as, expectStatus, waitForStatus, waitForSubscription, waitForTask, type TaskBody } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { APPLICATION_CHECKLIST, permitInAnalysis, submittedPermit, usersOf, type Users } from './drive-permit.js';

describe('team rules on a running permit', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  async function footprint(permitId: string) {
    const count = async (table: string) => Number(((await pm.knex(table).where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
    const permit = (await pm.knex('permits').where({ id: permitId }).first('version', 'status')) as { version: number; status: string };
    return { ...permit, members: await count('permit_members'), audit: await count('audit_log') };
  }

  it('opens the ingress only for known data holders on no other team; a data holder registered ahead can be named', async () => {
    const permit = await submittedPermit(pm, users);
    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'APPLICATION', decision: 'APPROVED', checklist: APPLICATION_CHECKLIST }), 201, 'approve application');
    await waitForStatus(users.alice, permit.id, 'APPROVED');
    await waitForSubscription(pm, MESSAGES.ingressInitiationRequested, permit.id);
    // dora analyses and holds data: on this permit's research team, so she cannot also deliver its data.
    expectStatus(await users.adam.post('/users', { userId: 'dora', displayName: 'Dora Diaz', roles: ['researcher', 'data-holder'] }), 201, 'register dora');
    expectStatus(await users.rita.post(`/permits/${permit.id}/members`, { userId: 'dora', teamRole: 'RESEARCH_TEAM' }), 201, 'dora joins the research team');
    const before = await footprint(permit.id);

    const unknown = await users.rita.post<{ errors: { path: string; message: string }[] }>(`/permits/${permit.id}/ingress`, { dataHolders: ['dana', 'greta'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.dataHolders[1]', message: expect.stringMatching(/^"greta" is not a known user.*POST \/api\/users/) }]);
    const researcher = await users.rita.post<{ detail: string }>(`/permits/${permit.id}/ingress`, { dataHolders: ['alice'] });
    expect([researcher.status, researcher.body.detail]).toEqual([400, expect.stringMatching(/"alice" cannot join the data holders/)]);
    const otherTeam = await users.rita.post<{ detail: string }>(`/permits/${permit.id}/ingress`, { dataHolders: ['dora'] });
    expect([otherTeam.status, otherTeam.body.detail]).toEqual([409, expect.stringMatching(/"dora" is already on this permit's research team/)]);
    expect(await footprint(permit.id)).toEqual(before);

    expectStatus(await users.adam.post('/users', { userId: 'greta', displayName: 'Greta Grün', roles: ['data-holder'] }), 201, 'register greta ahead');
    // The process still waits for the ingress: nothing was sent to it by the refused requests.
    expectStatus(await users.rita.post(`/permits/${permit.id}/ingress`, { dataHolders: ['dana', 'greta'] }), 202, 'initiate ingress');
    const members = expectStatus(await users.rita.get<{ userId: string; teamRole: string }[]>(`/permits/${permit.id}/members`), 200, 'members').body;
    expect(members.filter((m) => m.teamRole === 'DATA_HOLDER').map((m) => m.userId).sort()).toEqual(['dana', 'greta']);
  });

  it('takes amendments from the research team for the research team only, and only with known researchers', async () => {
    const permit = await permitInAnalysis(pm, users);
    const bob = as(pm, await pm.signIn('bob', { roles: ['researcher'] }));
    const before = await footprint(permit.id);
    const amend = (body: object) => users.alice.post<{ detail: string; errors?: { path: string }[] }>(`/permits/${permit.id}/amendments`, { summary: 'Team change', ...body });

    const reviewer = await amend({ addMembers: [{ userId: 'victor', teamRole: 'HDAB_TEAM' }] });
    expect([reviewer.status, reviewer.body.detail]).toEqual([403, expect.stringMatching(/Only the HDAB team .* may change its HDAB team and data holders/)]);
    const dropHolder = await amend({ removeMembers: [{ userId: 'dana' }] });
    expect([dropHolder.status, dropHolder.body.detail]).toEqual([403, expect.stringMatching(/remove dana from DATA_HOLDER/)]);
    const unknown = await amend({ addMembers: [{ userId: 'zoe', teamRole: 'RESEARCH_TEAM' }] });
    expect([unknown.status, unknown.body.errors?.map((e) => e.path)]).toEqual([400, ['body.addMembers[0].userId']]);
    const holder = await amend({ addMembers: [{ userId: 'dana', teamRole: 'RESEARCH_TEAM' }] });
    expect(holder.status).toBe(400);
    expect(await footprint(permit.id)).toEqual(before);
    const inbox = expectStatus(await users.rita.get<TaskBody[]>('/tasks'), 200, 'inbox').body;
    expect(inbox.filter((t) => t.permit.id === permit.id && t.formId === FORM_IDS.amendmentAssessment)).toEqual([]);

    expectStatus(await amend({ addMembers: [{ userId: 'bob', teamRole: 'RESEARCH_TEAM' }] }), 202, 'add bob by amendment');
    await waitForTask(users.rita, permit.id, FORM_IDS.amendmentAssessment);
    expectStatus(await users.rita.post(`/permits/${permit.id}/review`, { stage: 'AMENDMENT', decision: 'APPROVED', comment: 'Bob is a named analyst', checklist: ['WITHIN_PERMIT_PURPOSE', 'NEW_MEMBERS_VETTED', 'DATA_SCOPE_ASSESSED'] }), 201, 'approve amendment');
    await waitFor('bob on the research team', async () => (await bob.get(`/permits/${permit.id}`)).status === 200, { timeoutMs: 20_000, intervalMs: 50 });
  });
});
