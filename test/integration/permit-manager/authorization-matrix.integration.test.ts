/**
 * Every endpoint of the Permit Manager's features × every kind of caller, with the status each must get, as a
 * data table. The permit is a fresh DRAFT (created by alice with hank, who is also an HDAB reviewer, on its
 * research team; rita and victor on its HDAB team by default, dana added as its data holder). A cell that expects
 * success runs on a permit of its own, so it cannot disturb the others; refused cells share the row's permit (a
 * refusal changes nothing, which the team-rule rows check: no version bump, no audit entry, no member row).
 *
 * The people: seeded users (known from the start, as `npm start` seeds them) plus some who signed in once and so
 * are known with their token roles: bob (researcher), hank (researcher and HDAB reviewer), hilda (HDAB reviewer),
 * dirk (data holder). zoe never signed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../shared/index.js';
import { as, createPermit, expectStatus, request } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { waitForSubscription } from '../support/permit-manager-client.js';

const CALLERS = ['researcherOn', 'researcherOff', 'hdab', 'dataHolder', 'admin', 'noToken', 'expired', 'wrongIssuer', 'wrongAudience'] as const;
type CallerKind = (typeof CALLERS)[number];

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Expected status for: researcher on the permit, researcher not on it, HDAB reviewer, data holder, admin (unauthenticated callers always 401). */
  expect: [number, number, number, number, number];
  /** A 409 of the team rules (someone on another team), which carries no status-machine details. */
  teamConflict?: boolean;
}

const SHA = 'e'.repeat(64);
const NO_SUCH = '00000000-0000-4000-8000-000000000000';
const APPLICATION_BODY = { title: 'Matrix permit', purpose: 'Authorization matrix test permit', validUntil: new Date(Date.now() + 864e5 * 200).toISOString() };
const member = (userId: string, teamRole: string) => ({ userId, teamRole });

//                                                                                                         on   off  hdab  dh  admin
const ROWS: Row[] = [
  { name: 'create permit', method: 'POST', path: '/permits', body: APPLICATION_BODY, expect: [201, 201, 403, 403, 403] },
  { name: 'create permit with a further researcher', method: 'POST', path: '/permits', body: { ...APPLICATION_BODY, members: [{ userId: 'bob' }] }, expect: [201, 201, 403, 403, 403] },
  { name: 'create permit with an unknown member', method: 'POST', path: '/permits', body: { ...APPLICATION_BODY, members: [{ userId: 'zoe' }] }, expect: [400, 400, 403, 403, 403] },
  { name: 'create permit with an HDAB reviewer on the research team', method: 'POST', path: '/permits', body: { ...APPLICATION_BODY, members: [{ userId: 'rita' }] }, expect: [400, 400, 403, 403, 403] },
  { name: 'list permits', method: 'GET', path: '/permits', expect: [200, 200, 200, 200, 200] },
  { name: 'read permit', method: 'GET', path: '/permits/:id', expect: [200, 404, 200, 200, 200] },
  { name: 'read history', method: 'GET', path: '/permits/:id/history', expect: [200, 404, 200, 200, 200] },
  { name: 'edit the draft', method: 'PATCH', path: '/permits/:id', body: { title: 'Matrix permit, edited' }, expect: [200, 404, 403, 403, 403] },
  { name: 'submit application', method: 'POST', path: '/permits/:id/submit', expect: [202, 404, 403, 403, 403] },
  { name: 'provide information', method: 'POST', path: '/permits/:id/info', body: { response: 'Here it is' }, expect: [409, 404, 403, 403, 403] },
  { name: 'withdraw', method: 'POST', path: '/permits/:id/withdraw', body: { reason: 'No longer needed' }, expect: [202, 404, 403, 403, 403] },
  { name: 'list members', method: 'GET', path: '/permits/:id/members', expect: [200, 404, 200, 200, 200] },
  { name: 'add member', method: 'POST', path: '/permits/:id/members', body: member('bob', 'RESEARCH_TEAM'), expect: [403, 404, 201, 403, 201] },
  { name: 'add HDAB member', method: 'POST', path: '/permits/:id/members', body: member('hilda', 'HDAB_TEAM'), expect: [403, 404, 201, 403, 201] },
  { name: 'add data holder', method: 'POST', path: '/permits/:id/members', body: member('dirk', 'DATA_HOLDER'), expect: [403, 404, 201, 403, 201] },
  { name: 'add member nobody knows', method: 'POST', path: '/permits/:id/members', body: member('zoe', 'RESEARCH_TEAM'), expect: [403, 404, 400, 403, 400] },
  { name: 'add researcher to the HDAB team', method: 'POST', path: '/permits/:id/members', body: member('bob', 'HDAB_TEAM'), expect: [403, 404, 400, 403, 400] },
  { name: 'add HDAB reviewer as data holder', method: 'POST', path: '/permits/:id/members', body: member('hilda', 'DATA_HOLDER'), expect: [403, 404, 400, 403, 400] },
  { name: 'add data holder to the research team', method: 'POST', path: '/permits/:id/members', body: member('dana', 'RESEARCH_TEAM'), expect: [403, 404, 400, 403, 400] },
  { name: 'add research-team member to the HDAB team', method: 'POST', path: '/permits/:id/members', body: member('hank', 'HDAB_TEAM'), expect: [403, 404, 409, 403, 409], teamConflict: true },
  { name: 'remove member', method: 'DELETE', path: '/permits/:id/members/alice/RESEARCH_TEAM', expect: [403, 404, 204, 403, 204] },
  { name: 'remove someone not on that team', method: 'DELETE', path: '/permits/:id/members/bob/RESEARCH_TEAM', expect: [403, 404, 404, 403, 404] },
  { name: 'initiate ingress', method: 'POST', path: '/permits/:id/ingress', body: { dataHolders: ['dana'] }, expect: [403, 404, 409, 403, 403] },
  {
    name: 'confirm upload',
    method: 'POST',
    path: '/permits/:id/ingress/uploads',
    body: { manifest: { files: [{ path: 'raw/a.csv', sha256: SHA, sizeBytes: 1 }] } },
    expect: [403, 404, 403, 409, 403],
  },
  { name: 'submit setup for review', method: 'POST', path: '/permits/:id/workspace/submit-for-review', expect: [409, 404, 403, 403, 403] },
  { name: 'review', method: 'POST', path: '/permits/:id/review', body: { stage: 'APPLICATION', decision: 'APPROVED' }, expect: [403, 404, 409, 403, 403] },
  { name: 'list reviews', method: 'GET', path: '/permits/:id/reviews', expect: [200, 404, 200, 200, 200] },
  { name: 'create egress request', method: 'POST', path: '/permits/:id/egress-requests', body: { title: 'Table 1', files: [{ path: 't1.csv' }] }, expect: [409, 404, 403, 403, 403] },
  { name: 'list egress requests', method: 'GET', path: '/permits/:id/egress-requests', expect: [200, 404, 200, 200, 200] },
  { name: 'read egress request', method: 'GET', path: `/permits/:id/egress-requests/${NO_SUCH}`, expect: [404, 404, 404, 404, 404] },
  { name: 'submit egress request', method: 'POST', path: `/permits/:id/egress-requests/${NO_SUCH}/submit`, expect: [409, 404, 403, 403, 403] },
  { name: 'suspend', method: 'POST', path: '/permits/:id/suspend', body: { reason: 'Incident 42' }, expect: [403, 404, 409, 403, 409] },
  { name: 'resume', method: 'POST', path: '/permits/:id/resume', expect: [403, 404, 409, 403, 409] },
  { name: 'revoke', method: 'POST', path: '/permits/:id/revoke', body: { reason: 'Breach of terms' }, expect: [403, 404, 409, 403, 409] },
  { name: 'close', method: 'POST', path: '/permits/:id/close', expect: [409, 404, 409, 403, 409] },
  { name: 'request amendment', method: 'POST', path: '/permits/:id/amendments', body: { summary: 'Longer', validUntil: '2030-01-01' }, expect: [409, 404, 409, 403, 403] },
  { name: 'task inbox', method: 'GET', path: '/tasks', expect: [200, 200, 200, 200, 200] },
  { name: 'complete task', method: 'POST', path: '/tasks/1/complete', body: { variables: {} }, expect: [404, 404, 404, 404, 404] },
  { name: "read a permit's audit trail", method: 'GET', path: '/audit?permitId=:id', expect: [200, 404, 200, 200, 200] },
  { name: "read a permit's workspaces", method: 'GET', path: '/permits/:id/workspaces', expect: [200, 404, 200, 200, 200] },
  { name: "read a permit's notification deliveries", method: 'GET', path: '/permits/:id/notifications', expect: [403, 404, 200, 403, 200] },
  { name: 'read the whole audit log', method: 'GET', path: '/audit', expect: [403, 403, 403, 403, 200] },
  { name: 'verify the audit log', method: 'POST', path: '/audit/verify', expect: [403, 403, 403, 403, 200] },
  { name: 'look up a person', method: 'GET', path: '/users/hank', expect: [403, 403, 200, 403, 200] },
  { name: 'register a person ahead', method: 'POST', path: '/users', body: { userId: 'nora', displayName: 'Nora North', roles: ['researcher'] }, expect: [403, 403, 403, 403, 201] },
];

describe('authorization matrix', () => {
  let pm: PermitManagerForTest;
  const tokens = new Map<CallerKind, string | undefined>();
  const rowPermits = new Map<string, Promise<string>>();

  async function freshPermit(): Promise<string> {
    const alice = as(pm, tokens.get('researcherOn') as string);
    const rita = as(pm, tokens.get('hdab') as string);
    const permit = await createPermit(alice, { title: 'Matrix permit', members: [{ userId: 'hank' }] });
    expectStatus(await rita.post(`/permits/${permit.id}/members`, { userId: 'dana', teamRole: 'DATA_HOLDER' }), 201, 'add data holder');
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    return permit.id;
  }

  /** What a change to the permit leaves behind: its version, its member rows and its audit entries. */
  async function footprint(permitId: string) {
    const permit = (await pm.knex('permits').where({ id: permitId }).first('version')) as { version: number } | undefined;
    const count = async (table: string) => Number(((await pm.knex(table).where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
    return { version: permit?.version, members: await count('permit_members'), audit: await count('audit_log') };
  }

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    const now = Math.floor(Date.now() / 1000);
    tokens.set('researcherOn', await pm.tokenFor('alice'));
    tokens.set('researcherOff', await pm.signIn('bob', { roles: ['researcher'] }));
    await pm.signIn('hank', { roles: ['researcher', 'hdab-reviewer'] });
    await pm.signIn('hilda', { roles: ['hdab-reviewer'] });
    await pm.signIn('dirk', { roles: ['data-holder'] });
    tokens.set('hdab', await pm.tokenFor('rita'));
    tokens.set('dataHolder', await pm.tokenFor('dana'));
    tokens.set('admin', await pm.tokenFor('adam'));
    tokens.set('noToken', undefined);
    tokens.set('expired', await pm.tokenFor('alice', { issuedAt: now - 7200, expiresAt: now - 3600 }));
    tokens.set('wrongIssuer', await pm.tokenFor('alice', { issuer: 'https://issuer.example.org/realms/other' }));
    tokens.set('wrongAudience', await pm.tokenFor('alice', { audience: 'some-other-api' }));
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  const cells = ROWS.flatMap((row) =>
    CALLERS.map((caller, index) => ({ row, caller, status: index < 5 ? (row.expect[index] as number) : 401, label: `${row.method} ${row.path} as ${caller}` })),
  );

  it.each(cells)('$label → $status', async ({ row, caller, status }) => {
    const needsPermit = row.path.includes(':id');
    let permitId = NO_SUCH;
    if (needsPermit) {
      if (status >= 200 && status < 300) permitId = await freshPermit();
      else {
        if (!rowPermits.has(row.name)) rowPermits.set(row.name, freshPermit());
        permitId = await (rowPermits.get(row.name) as Promise<string>);
      }
    }
    const body = row.body;
    const before = needsPermit ? await footprint(permitId) : undefined;
    const answer = await request(pm.baseUrl, row.method, row.path.replace(':id', permitId), { token: tokens.get(caller), ...(body === undefined ? {} : { body }) });
    const problem = answer.body as { currentStatus?: unknown; allowedActions?: unknown };
    expect(
      {
        status: answer.status,
        problemJson: /^application\/problem\+json/.test(answer.headers.get('content-type') ?? ''),
        bearerChallenge: /^Bearer /.test(answer.headers.get('www-authenticate') ?? ''),
        transitionDetails: problem.currentStatus === 'DRAFT' && Array.isArray(problem.allowedActions),
      },
      JSON.stringify(answer.body),
    ).toEqual({ status, problemJson: status >= 400, bearerChallenge: status === 401, transitionDetails: status === 409 && !row.teamConflict });
    const after = before !== undefined && status >= 400 ? await footprint(permitId) : before;
    expect(after, 'a refused request changes nothing').toEqual(before);
  });
});
