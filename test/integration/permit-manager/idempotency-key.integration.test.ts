/**
 * `Idempotency-Key` on the creating POSTs over HTTP on the real Permit Manager (PGlite, or PostgreSQL when
 * DATABASE_URL is set): a repeat of a create whose answer was lost answers the first answer again and creates
 * nothing; the key with another body is a 422, concurrent duplicates create one permit, bad keys are a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION, request, type Answer, type PermitBody } from '../support/permit-manager-client.js';
import { waitFor } from '../../support/wait-for.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';

describe('Idempotency-Key on POST /api/permits (and the other creating POSTs)', () => {
  let pm: PermitManagerForTest;
  let aliceToken: string;
  let carolToken: string;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    aliceToken = await pm.tokenFor('alice');
    carolToken = await pm.tokenFor('carol', { roles: ['researcher'] });
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  const create = (token: string, body: unknown, key?: string) =>
    request<PermitBody>(pm.baseUrl, 'POST', '/permits', { token, body, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const permitsTitled = async (title: string) => Number(((await pm.knex('permits').where({ title }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
  const auditOf = async (permitId: string) => Number(((await pm.knex('audit_log').where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n);

  it('a repeat answers the first answer again (status, body, Location, ETag) with Idempotent-Replayed and creates nothing', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort one' };
    const first = await create(aliceToken, body, 'c6f1a7e2-1b1e-4c55-9d1e-000000000001');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const audit = await auditOf(first.body.id);

    const again = await create(aliceToken, { title: body.title, validUntil: body.validUntil, purpose: body.purpose }, '"c6f1a7e2-1b1e-4c55-9d1e-000000000001"');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect([again.headers.get('location'), again.headers.get('etag')]).toEqual([first.headers.get('location'), first.headers.get('etag')]);
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await permitsTitled(body.title)).toBe(1);
    expect(await auditOf(first.body.id)).toBe(audit);

    // Without a key (or with a new one) a create is a new create, as before.
    expect((await create(aliceToken, body)).status).toBe(201);
    expect((await create(aliceToken, body, 'c6f1a7e2-1b1e-4c55-9d1e-000000000002')).status).toBe(201);
    expect(await permitsTitled(body.title)).toBe(3);
  });

  it('the same key with another body or on another route is a 422 problem and changes nothing', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort two' };
    const key = 'key-two';
    const first = await create(aliceToken, body, key);
    expect(first.status).toBe(201);
    const other = await create(aliceToken, { ...body, title: 'Idempotent cohort two, edited' }, key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ type: '/api/docs#problem-idempotency-key-reused', status: 422 });
    expect(String((other.body as unknown as { detail: string }).detail)).toMatch(/new key/);
    expect(await permitsTitled('Idempotent cohort two, edited')).toBe(0);

    const elsewhere = await request(pm.baseUrl, 'POST', `/permits/${first.body.id}/amendments`, { token: aliceToken, body: { validUntil: body.validUntil }, headers: { 'idempotency-key': key } });
    expect(elsewhere.status).toBe(422);
  });

  it('keys belong to their caller: another caller with the same key creates their own permit', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort three' };
    const alices = await create(aliceToken, body, 'shared-key');
    const carols = await create(carolToken, body, 'shared-key');
    expect([alices.status, carols.status, carols.headers.get('idempotent-replayed')]).toEqual([201, 201, null]);
    expect(carols.body.id).not.toBe(alices.body.id);
  });

  it('concurrent duplicates create one permit: the others answer 409 (still in progress) or the first answer replayed', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort four' };
    const answers: Answer<PermitBody>[] = await Promise.all(Array.from({ length: 6 }, () => create(aliceToken, body, 'concurrent-key')));
    const originals = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    expect(originals).toHaveLength(1);
    const others = answers
      .filter((a) => a !== originals[0])
      .map((a) =>
        a.status === 409
          ? ['in progress', a.headers.get('retry-after'), /^application\/problem\+json/.test(a.headers.get('content-type') ?? '')]
          : ['replayed', a.status, a.headers.get('idempotent-replayed'), a.body.id],
      );
    for (const other of others) expect([['in progress', '1', true], ['replayed', 201, 'true', originals[0]!.body.id]]).toContainEqual(other);
    expect(await permitsTitled(body.title)).toBe(1);
    const settled = await create(aliceToken, body, 'concurrent-key');
    expect([settled.status, settled.body.id]).toEqual([201, originals[0]!.body.id]);
  });

  it('refuses a key that is empty, too long or not visible ASCII with a 400, creating nothing', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort five' };
    for (const key of ['""', 'x'.repeat(256), 'with space', 'ümlaut']) {
      const answer = await request(pm.baseUrl, 'POST', '/permits', { token: aliceToken, body, headers: { 'idempotency-key': Buffer.from(key).toString('latin1') } });
      expect(answer.status, key).toBe(400);
      expect(answer.body).toMatchObject({ status: 400 });
    }
    expect(await permitsTitled(body.title)).toBe(0);
  });

  it('a refusal (400 of the body) is replayed too, so a repeat of a bad request is refused the same way', async () => {
    const bad = await create(aliceToken, { title: 'ab' }, 'bad-body-key');
    expect(bad.status).toBe(400);
    const again = await create(aliceToken, { title: 'ab' }, 'bad-body-key');
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([400, 'true', bad.body]);
  });

  it('binds the key to the permit in the create\'s own transaction: a retry after the answer was lost to a crash finds it, creates nothing', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort six' };
    const first = await create(aliceToken, body, 'crash-key');
    expect(first.status).toBe(201);
    const keyRow = () => pm.knex('idempotency_keys').where({ caller: 'alice', key: 'crash-key' }).first('status', 'resource_id') as Promise<{ status: string; resource_id: string | null } | undefined>;
    expect(await keyRow()).toEqual({ status: 'done', resource_id: first.body.id });

    // As a process killed after the create committed and before its answer was stored leaves it: in progress, no
    // answer, older than the lease.
    await pm.knex('idempotency_keys')
      .where({ caller: 'alice', key: 'crash-key' })
      .update({ status: 'in-progress', response_status: null, response_headers: null, response_body: null, created_at: new Date(Date.now() - 5 * 60_000) });
    const retry = await create(aliceToken, body, 'crash-key');
    expect([retry.status, retry.body.id, retry.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, null]);
    expect(await permitsTitled(body.title)).toBe(1);
    expect(await keyRow()).toEqual({ status: 'done', resource_id: first.body.id });
  });

  it('a create that fails after the key was recorded leaves neither the key nor a permit; the retry creates one', async () => {
    const body = { ...APPLICATION, title: 'Idempotent cohort seven' };
    await pm.knex.raw(`CREATE FUNCTION test_refuse_members() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'insert refused by test'; END $$`);
    await pm.knex.raw(`CREATE TRIGGER test_refuse_members BEFORE INSERT ON permit_members FOR EACH ROW EXECUTE FUNCTION test_refuse_members()`);
    try {
      const failed = await create(aliceToken, body, 'failing-key');
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await pm.knex.raw('DROP TRIGGER test_refuse_members ON permit_members');
      await pm.knex.raw('DROP FUNCTION test_refuse_members()');
    }
    expect(await permitsTitled(body.title)).toBe(0);
    await waitFor('the failed request to free its key', async () => (await pm.knex('idempotency_keys').where({ caller: 'alice', key: 'failing-key' }).first()) === undefined);

    const retry = await create(aliceToken, body, 'failing-key');
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, null]);
    expect(await permitsTitled(body.title)).toBe(1);
    expect(await pm.knex('idempotency_keys').where({ caller: 'alice', key: 'failing-key' }).first('resource_id')).toEqual({ resource_id: retry.body.id });
  });
});
