/**
 * Engine commands against the real embedded engine, over HTTP on the real Permit Manager (PGlite, or PostgreSQL
 * when DATABASE_URL is set): a failure is injected between the engine accepting a permit action's message and the
 * local record that it was delivered (the database refuses the mark). The engine and the Permit Manager agree
 * afterwards: the process took the message once, the audit log names who asked once, and the platform's relay
 * marks the command delivered after the engine refused its id a second time (ALREADY_EXISTS).
 * Design: docs/adr/0006-engine-commands.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../shared/index.js';
import { waitFor } from '../../support/wait-for.js';
import { as, createPermit, expectStatus, waitForStatus, waitForSubscription } from '../support/permit-manager-client.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';

describe('engine commands on the embedded engine', () => {
  let pm: PermitManagerForTest;
  let aliceToken: string;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    aliceToken = await pm.tokenFor('alice');
  }, 120_000);
  afterAll(async () => {
    await pm?.stop();
  });

  const count = async (table: string, where: Record<string, unknown>) => Number(((await pm.knex(table).where(where).count({ n: '*' })) as { n: string | number }[])[0]?.n);
  const command = async (permitId: string) =>
    (await pm.knex('engine_commands').where({ permit_id: permitId, kind: 'message' }).first('message_id', 'message_name', 'correlation_key', 'status', 'variables')) as
      | { message_id: string; message_name: string; correlation_key: string; status: string; variables: unknown }
      | undefined;

  it('the engine took the submission but the database refused to record that: the relay reconciles, the process got it once', async () => {
    const alice = as(pm, aliceToken);
    const permit = await createPermit(alice, { title: 'Engine command cohort' });
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);

    await pm.knex.raw(`CREATE FUNCTION test_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'update refused by test'; END $$`);
    await pm.knex.raw(`CREATE TRIGGER test_refuse_update BEFORE UPDATE ON engine_commands FOR EACH ROW EXECUTE FUNCTION test_refuse_update()`);
    try {
      expectStatus(await alice.post(`/permits/${permit.id}/submit`), 202, 'submit');
      await waitForStatus(alice, permit.id, 'SUBMITTED'); // the process took it
      const pending = await command(permit.id);
      expect(pending).toMatchObject({ message_id: `api:permit.submit:${permit.id}:v${permit.version}`, message_name: MESSAGES.applicationSubmitted, status: 'pending' });

      // The engine itself refuses the same id again while it holds the message: that is what makes redelivery safe.
      const again = await pm.camunda
        .publishMessage({ name: MESSAGES.applicationSubmitted, correlationKey: permit.id, messageId: pending!.message_id, timeToLive: 60_000, variables: {} })
        .then(() => 'published', (error: { status?: number }) => error.status);
      expect(again).toBe(409);
    } finally {
      await pm.knex.raw('DROP TRIGGER test_refuse_update ON engine_commands');
    }

    // The platform's relay publishes the pending command again; the engine answers duplicate; it is marked delivered.
    await waitFor('the relay to mark the command delivered', async () => (await command(permit.id))?.status === 'delivered', { timeoutMs: 30_000, intervalMs: 200 });
    expect(await count('audit_log', { permit_id: permit.id, action: 'permit.submit' })).toBe(1);
    expect(await count('permit_status_history', { permit_id: permit.id, new_status: 'SUBMITTED' })).toBe(1);
    // The application process moved past submission once: it waits for nothing with that name any more.
    const waiting = await pm.camunda.searchMessageSubscriptions(
      { filter: { messageName: MESSAGES.applicationSubmitted, correlationKey: permit.id, messageSubscriptionState: 'CREATED' } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    expect(waiting.items ?? []).toHaveLength(0);
  });

  it('a repeat of an accepted action is 409 and records and publishes nothing', async () => {
    const alice = as(pm, aliceToken);
    const permit = await createPermit(alice, { title: 'Engine command cohort two' });
    await waitForSubscription(pm, MESSAGES.applicationSubmitted, permit.id);
    expectStatus(await alice.post(`/permits/${permit.id}/submit`), 202, 'submit');
    // 409 either way: the same intent while it is carried out, or a DRAFT action once the process made it SUBMITTED.
    const repeat = await alice.post(`/permits/${permit.id}/submit`);
    expect(repeat.status).toBe(409);
    expect(await count('engine_commands', { permit_id: permit.id, kind: 'message' })).toBe(1);
    expect(await count('audit_log', { permit_id: permit.id, action: 'permit.submit' })).toBe(1);
  });
});
