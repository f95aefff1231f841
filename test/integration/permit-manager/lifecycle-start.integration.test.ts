/**
 * The lifecycle start on the real embedded engine, over HTTP on the real Permit Manager (PGlite, or PostgreSQL when
 * DATABASE_URL is set): the engine starts the permit's lifecycle process and the request fails before it links it
 * (the database refuses the link, as a request killed at that moment would leave it). Afterwards exactly one
 * lifecycle instance exists for the permit, linked to it, and it takes the permit's messages; two more starters
 * racing the platform's relay start nothing more. Design: docs/adr/0006-engine-commands.md.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES, PROCESS_IDS } from '../../../shared/index.js';
import { createCamundaEnginePort } from '../../../rest-api/engine/camunda-engine-port.js';
import { createKnexPermitStore } from '../../../rest-api/permits/knex-permit-store.js';
import { permitTag, startLifecycle } from '../../../rest-api/permits/lifecycle-start.js';
import { waitFor } from '../../support/wait-for.js';
import { as, createPermit, expectStatus, waitForStatus, waitForSubscription } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';

describe('the lifecycle start on the embedded engine', () => {
  let pm: PermitManagerForTest;
  let aliceToken: string;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    aliceToken = await pm.tokenFor('alice');
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  /** Every lifecycle instance carrying the permit's tag, in any state. */
  const instancesOf = async (permitId: string) => {
    const result = await pm.camunda.searchProcessInstances(
      { filter: { processDefinitionId: PROCESS_IDS.lifecycle, tags: [permitTag(permitId)] }, page: { limit: 100 } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    return (result.items ?? []).map((item) => ({ key: String(item.processInstanceKey), state: String(item.state) }));
  };
  const startCommand = async (permitId: string) =>
    (await pm.knex('engine_commands').where({ permit_id: permitId, kind: 'process-start' }).first('message_id', 'status')) as { message_id: string; status: string } | undefined;
  const linkedKey = async (permitId: string) => ((await pm.knex('permits').where({ id: permitId }).first('process_instance_key')) as { process_instance_key: string | null }).process_instance_key;

  it('the engine started the process but the link was never written: the relay finds that instance and links it, no second one is started', async () => {
    const alice = as(pm, aliceToken);
    await pm.knex.raw(`CREATE FUNCTION test_refuse_link() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'link refused by test'; END $$`);
    await pm.knex.raw(
      `CREATE TRIGGER test_refuse_link BEFORE UPDATE ON permits FOR EACH ROW WHEN (OLD.process_instance_key IS NULL AND NEW.process_instance_key IS NOT NULL) EXECUTE FUNCTION test_refuse_link()`,
    );
    let permitId: string;
    try {
      const body = { title: 'Unlinked start', purpose: 'Proving one lifecycle instance per permit', validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString() };
      const created = expectStatus(await alice.post<{ id: string; processInstanceKey: string | null }>('/permits', body, { 'Idempotency-Key': 'lifecycle-start-1' }), 201, 'create permit').body;
      permitId = created.id;
      expect(created.processInstanceKey).toBeNull();
      const started = await instancesOf(permitId);
      expect(started).toEqual([{ key: expect.any(String), state: 'ACTIVE' }]);
      expect(await startCommand(permitId)).toMatchObject({ message_id: `api:permit.start:${permitId}`, status: 'pending' });
      // The permit's actions wait for the start: 409, nothing written.
      expect((await alice.post(`/permits/${permitId}/submit`)).status).toBe(409);
      // The same request again (a client that did not see the 201): the same permit, nothing new started.
      const replay = expectStatus(await alice.post<{ id: string }>('/permits', body, { 'Idempotency-Key': 'lifecycle-start-1' }), 201, 'create permit again');
      expect(replay.body.id).toBe(permitId);
      expect(await instancesOf(permitId)).toEqual(started);
    } finally {
      await pm.knex.raw('DROP TRIGGER test_refuse_link ON permits');
      await pm.knex.raw('DROP FUNCTION test_refuse_link()');
    }
    const [first] = await instancesOf(permitId);

    // The request's lease runs out (as it does 30 s after a request died); the platform's relay takes the command over
    // while two more starters race it: the lease lets one of them run, and each looks the permit's instance up first.
    await pm.knex('engine_commands').where({ message_id: `api:permit.start:${permitId}` }).update({ leased_until: pm.knex.raw(`now() - interval '1 second'`), created_at: pm.knex.raw(`now() - interval '1 minute'`) });
    const deps = { store: createKnexPermitStore(pm.knex), engine: createCamundaEnginePort(pm.camunda), logger: pino({ level: 'silent' }) };
    const command = { messageId: `api:permit.start:${permitId}`, kind: 'process-start' as const, permitId, messageName: PROCESS_IDS.lifecycle, correlationKey: permitId, variables: { permitId } };
    await Promise.all([startLifecycle(deps, command), startLifecycle(deps, command)]);
    await waitFor('the start command to be delivered', async () => (await startCommand(permitId))?.status === 'delivered', { timeoutMs: 30_000, intervalMs: 100 });

    expect(await instancesOf(permitId)).toEqual([{ key: first!.key, state: 'ACTIVE' }]);
    expect(await linkedKey(permitId)).toBe(first!.key);
    const audit = (await pm.knex('audit_log').where({ permit_id: permitId, action: 'permit.created' }).select('actor', 'details')) as { actor: string; details: unknown }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'alice' });

    // The linked instance is the one that takes the permit's messages.
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permitId);
    expectStatus(await alice.post(`/permits/${permitId}/submit`), 202, 'submit');
    await waitForStatus(alice, permitId, 'SUBMITTED');
    expect(await instancesOf(permitId)).toEqual([{ key: first!.key, state: 'ACTIVE' }]);
  }, 120_000);

  it('a permit created normally starts one tagged instance and links it in the request', async () => {
    const alice = as(pm, aliceToken);
    const permit = await createPermit(alice, { title: 'Linked start' });
    expect(permit.processInstanceKey).toEqual(expect.any(String));
    expect(await instancesOf(permit.id)).toEqual([{ key: permit.processInstanceKey, state: 'ACTIVE' }]);
    expect(await startCommand(permit.id)).toMatchObject({ status: 'delivered' });
  });
});
