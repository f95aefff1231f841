/**
 * The notification store on the real database (PGlite, and PostgreSQL when DATABASE_URL is set): recipients from
 * the team joined with the directory, preferences, and the delivery ledger's exactly-once claims when several
 * deliveries of the same job race.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { createKnexNotificationStore } from './knex-notification-store.js';
import type { DeliveryClaim, NotificationStore } from './notification-store.js';

const KEY = 'notification.send/p1/2251799813685300';
const claimFor = (recipient: string, over: Partial<DeliveryClaim> = {}): DeliveryClaim => ({
  idempotencyKey: KEY,
  channel: 'email',
  recipient,
  permitId: 'p1',
  template: 'workspace-ready',
  leaseMs: 60_000,
  ...over,
});

describe.each(testDatabaseTargets())('knex notification store on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let store: NotificationStore;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    store = createKnexNotificationStore(knex);
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const ledger = async () =>
    (await knex(TABLES.notificationDeliveries).orderBy(['channel', 'recipient']).select('channel', 'recipient', 'status', 'attempts', 'last_error', 'detail', 'delivered_at')) as {
      channel: string;
      recipient: string;
      status: string;
      attempts: number;
      last_error: string | null;
      detail: Record<string, unknown>;
      delivered_at: Date | null;
    }[];

  it('resolves team members with their directory entries, members missing from the directory included', async () => {
    const permit = await insertPermit(knex, { status: 'WORKSPACE_SETUP_PENDING' });
    await knex(TABLES.permitMembers).insert([
      { permit_id: permit.id, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'adam' },
      { permit_id: permit.id, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
      { permit_id: permit.id, user_id: 'bob', team_role: 'RESEARCH_TEAM', added_by: 'alice' },
      { permit_id: permit.id, user_id: 'dana', team_role: 'DATA_HOLDER', added_by: 'rita' },
    ]);
    await knex(TABLES.userDirectory).insert([
      { user_id: 'alice', display_name: 'Alice Okafor', email: 'alice@research.example.org', slack_user_id: 'U123', roles: JSON.stringify(['researcher']) },
      { user_id: 'rita', display_name: 'Rita Hansen', email: 'rita@hdab.example.org', roles: JSON.stringify(['hdab-reviewer']) },
    ]);

    expect(await store.permit(permit.id)).toEqual({ id: permit.id, title: permit.title, status: 'WORKSPACE_SETUP_PENDING' });
    expect(await store.permit('no-such-permit')).toBeUndefined();
    expect(await store.teamMembers(permit.id, ['RESEARCH_TEAM', 'HDAB_TEAM'])).toEqual([
      { userId: 'alice', displayName: 'Alice Okafor', email: 'alice@research.example.org', slackUserId: 'U123', teamRole: 'RESEARCH_TEAM' },
      { userId: 'bob', displayName: 'bob', teamRole: 'RESEARCH_TEAM' },
      { userId: 'rita', displayName: 'Rita Hansen', email: 'rita@hdab.example.org', teamRole: 'HDAB_TEAM' },
    ]);
    expect(await store.teamMembers(permit.id, [])).toEqual([]);
    expect(await store.users(['rita', 'zed', 'alice'])).toEqual([
      { userId: 'rita', displayName: 'Rita Hansen', email: 'rita@hdab.example.org' },
      { userId: 'zed', displayName: 'zed' },
      { userId: 'alice', displayName: 'Alice Okafor', email: 'alice@research.example.org', slackUserId: 'U123' },
    ]);
  });

  it('gives the validity end with the permit when it has one', async () => {
    const permit = await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' });
    await knex(TABLES.permits).where({ id: permit.id }).update({ valid_from: new Date('2026-01-01T00:00:00Z'), valid_until: new Date('2027-01-01T00:00:00Z') });
    expect(await store.permit(permit.id)).toMatchObject({ validUntil: new Date('2027-01-01T00:00:00Z') });
  });

  it('returns only the preference rows that exist', async () => {
    await knex(TABLES.notificationPreferences).insert([
      { user_id: 'alice', channel: 'email', enabled: false },
      { user_id: 'alice', channel: 'slack', enabled: true },
      { user_id: 'rita', channel: 'slack', enabled: false },
    ]);
    expect(await store.preferences(['alice', 'dana'])).toEqual([
      { userId: 'alice', channel: 'email', enabled: false },
      { userId: 'alice', channel: 'slack', enabled: true },
    ]);
    expect(await store.preferences([])).toEqual([]);
  });

  it('lets exactly one of many concurrent claims win, and none after the message went out', async () => {
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => store.claimDelivery(claimFor('alice'))));
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'busy')).toHaveLength(15);

    await store.markSent(claimFor('alice'), { providerMessageId: '<m1@spe>' });
    await store.markSent(claimFor('alice')); // idempotent; keeps the provider id
    const again = await Promise.all(Array.from({ length: 8 }, () => store.claimDelivery(claimFor('alice', { leaseMs: 0 }))));
    expect(new Set(again)).toEqual(new Set(['sent']));
    expect(await ledger()).toEqual([
      { channel: 'email', recipient: 'alice', status: 'sent', attempts: 1, last_error: null, detail: { providerMessageId: '<m1@spe>' }, delivered_at: expect.any(Date) },
    ]);
  });

  it('sends each message once per recipient per channel when two deliveries of the job run at once', async () => {
    const targets = [
      { channel: 'email' as const, recipient: 'alice' },
      { channel: 'email' as const, recipient: 'bob' },
      { channel: 'slack' as const, recipient: '#hdab-reviews' },
      { channel: 'in-app' as const, recipient: 'alice' },
    ];
    const sent: string[] = [];
    const deliverJob = async () => {
      for (const target of targets) {
        const claim = claimFor(target.recipient, { channel: target.channel });
        if ((await store.claimDelivery(claim)) !== 'claimed') continue;
        sent.push(`${target.channel}:${target.recipient}`);
        await store.markSent(claim);
      }
    };
    await Promise.all([deliverJob(), deliverJob(), deliverJob()]);
    await deliverJob(); // a late redelivery
    expect(sent.sort()).toEqual(['email:alice', 'email:bob', 'in-app:alice', 'slack:#hdab-reviews']);
    expect((await ledger()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('after a failed send lets one retry claim it again, without touching what already went out', async () => {
    expect(await store.claimDelivery(claimFor('alice'))).toBe('claimed');
    await store.markSent(claimFor('alice'));
    expect(await store.claimDelivery(claimFor('bob'))).toBe('claimed');
    expect(await store.release(claimFor('bob'), 'SMTP 451: try again later')).toBe(1); // the attempts so far
    expect(await store.release(claimFor('alice'), 'a late failure report must not undo a sent message')).toBeUndefined();

    expect((await ledger()).map((r) => [r.recipient, r.status, r.last_error])).toEqual([
      ['alice', 'sent', null],
      ['bob', 'failed', 'SMTP 451: try again later'],
    ]);
    const retries = await Promise.all(Array.from({ length: 8 }, () => store.claimDelivery(claimFor('bob'))));
    expect(retries.filter((o) => o === 'claimed')).toHaveLength(1);
    expect(await store.claimDelivery(claimFor('alice'))).toBe('sent');
    await store.markSent(claimFor('bob'));
    expect((await ledger()).map((r) => [r.recipient, r.status, r.attempts, r.last_error])).toEqual([
      ['alice', 'sent', 1, null],
      ['bob', 'sent', 2, null],
    ]);
  });

  it('takes over a claim whose lease ran out (a delivery that died half-way)', async () => {
    expect(await store.claimDelivery(claimFor('alice'))).toBe('claimed');
    expect(await store.claimDelivery(claimFor('alice'))).toBe('busy');
    const takeovers = await Promise.all(Array.from({ length: 6 }, () => store.claimDelivery(claimFor('alice', { leaseMs: 0 }))));
    // With a zero lease every claim is stale at once, so each round may take it over; with a real lease only one does.
    expect(takeovers).toContain('claimed');
    const fresh = await Promise.all(Array.from({ length: 6 }, () => store.claimDelivery(claimFor('alice'))));
    expect(fresh.every((o) => o === 'busy')).toBe(true);
  });

  it('renews a live claim so its lease starts again, and renews nothing that is sent or released', async () => {
    expect(await store.claimDelivery(claimFor('alice'))).toBe('claimed');
    const claimedAt = async () => ((await knex(TABLES.notificationDeliveries).where({ recipient: 'alice' }).first('claimed_at')) as { claimed_at: Date }).claimed_at;
    const before = new Date(await claimedAt()).getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.renewClaim(claimFor('alice'))).toBe(true);
    expect(new Date(await claimedAt()).getTime()).toBeGreaterThan(before);
    expect(await store.claimDelivery(claimFor('alice', { leaseMs: 1_000 }))).toBe('busy');
    await store.markSent(claimFor('alice'));
    expect(await store.renewClaim(claimFor('alice'))).toBe(false);
    expect(await store.renewClaim(claimFor('nobody'))).toBe(false);
  });

  it('refuses to mark a delivery sent that nobody claimed', async () => {
    await expect(store.markSent(claimFor('nobody'))).rejects.toThrow(/No delivery was claimed for email to nobody/);
  });
});
