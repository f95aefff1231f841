/**
 * Engine commands on the real database (PGlite; PostgreSQL too when DATABASE_URL is set), with a failure injected
 * between the engine accepting a message and the local record of it: the answer to the publication is lost, the
 * database refuses to mark the command delivered, or the request dies before it publishes. Afterwards the engine
 * has taken the message exactly once, the audit log has one entry, and the command is marked delivered. The engine
 * here keeps message ids as Zeebe does (a second publication with a held id is ALREADY_EXISTS); the embedded
 * engine's own behaviour is proven in test/integration/permit-manager/engine-commands.test.ts.
 */
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_COMMANDS_TABLE, TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { MESSAGES } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createEngineCommandRelay, ENGINE_COMMAND_REDELIVERY_WINDOW_MS } from './engine-command-relay.js';
import { createPermitAccess } from './permit-access.js';
import { createActionRunner } from './permit-action-runner.js';
import { createKnexPermitStore } from './knex-permit-store.js';
import { createIdKeepingEngine } from '../engine/testing/id-keeping-engine.js';

const rita: Caller = { userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'] };
const logger = pino({ level: 'silent' });

describe.each(testDatabaseTargets())('engine commands on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  let engine: ReturnType<typeof createIdKeepingEngine>;
  let suspend: () => Promise<unknown>;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'seed' });
    const permits = createKnexPermitStore(knex);
    engine = createIdKeepingEngine();
    const run = createActionRunner({ access: createPermitAccess(permits), engine, store: permits });
    suspend = () =>
      run({ caller: rita, permitId, action: 'suspend', message: MESSAGES.suspensionRequested, variables: { suspensionReason: 'Security incident', suspendedBy: 'rita' } });
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const commands = async () =>
    (await knex(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId }).select('message_id', 'status', 'attempts')) as { message_id: string; status: string; attempts: number }[];
  const audits = async () => Number(((await knex(TABLES.auditLog).where({ permit_id: permitId, action: 'permit.suspend' }).count({ n: '*' })) as { n: string | number }[])[0]?.n);
  const relay = () => createEngineCommandRelay({ knex, engine, logger, graceMs: 0 });

  it('records the audit entry and the command together, publishes once, and marks it delivered', async () => {
    await suspend();
    expect(engine.taken.map((m) => [m.name, m.messageId])).toEqual([[MESSAGES.suspensionRequested, `api:permit.suspend:${permitId}:v1`]]);
    expect(await commands()).toEqual([{ message_id: `api:permit.suspend:${permitId}:v1`, status: 'delivered', attempts: 1 }]);
    expect(await audits()).toBe(1);
    expect(await relay().runOnce()).toEqual({ delivered: 0, failed: 0, stale: 0 });
  });

  it('the engine took it but the answer was lost: the relay redelivers, the engine says duplicate, the process got it once', async () => {
    engine.failNext('lose-answer');
    await suspend(); // recorded: the caller is told it was accepted
    expect(engine.taken).toHaveLength(1);
    expect((await commands()).map((c) => c.status)).toEqual(['pending']);
    expect(await relay().runOnce()).toEqual({ delivered: 1, failed: 0, stale: 0 });
    expect(engine.taken).toHaveLength(1);
    expect(await commands()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(await audits()).toBe(1);
  });

  it('the database refuses to mark the command delivered after the engine took it: they agree once the relay has run', async () => {
    await knex.raw(`CREATE FUNCTION test_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'update refused by test'; END $$`);
    await knex.raw(`CREATE TRIGGER test_refuse_update BEFORE UPDATE ON ${ENGINE_COMMANDS_TABLE} FOR EACH ROW EXECUTE FUNCTION test_refuse_update()`);
    await suspend();
    expect(engine.taken).toHaveLength(1);
    expect((await commands()).map((c) => c.status)).toEqual(['pending']);
    // The relay cannot mark it either while the database refuses; the engine still refuses the id.
    expect(await relay().runOnce()).toEqual({ delivered: 0, failed: 1, stale: 0 });
    await knex.raw(`DROP TRIGGER test_refuse_update ON ${ENGINE_COMMANDS_TABLE}`);
    expect(await relay().runOnce()).toEqual({ delivered: 1, failed: 0, stale: 0 });
    expect(engine.taken).toHaveLength(1);
    expect(await commands()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(await audits()).toBe(1);
  });

  it('the engine was unreachable after the commit: the relay delivers the command later, once, and a repeat request is 409', async () => {
    engine.failNext('unreachable');
    await suspend();
    expect(engine.taken).toHaveLength(0);
    await expect(suspend()).rejects.toThrow(/already requested/);
    const relays = [relay(), relay()]; // two instances at once
    const rounds = await Promise.all(relays.map((r) => r.runOnce()));
    expect(rounds.reduce((n, r) => n + r.delivered, 0)).toBeGreaterThanOrEqual(1);
    expect(engine.taken).toHaveLength(1);
    expect(await commands()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(await audits()).toBe(1);
  });

  it('a command older than the engine keeps message ids is marked stale for an operator and never published', async () => {
    engine.failNext('unreachable');
    await suspend();
    await knex(ENGINE_COMMANDS_TABLE)
      .where({ permit_id: permitId })
      .update({ created_at: new Date(Date.now() - ENGINE_COMMAND_REDELIVERY_WINDOW_MS - 60_000) });
    expect(await relay().runOnce()).toEqual({ delivered: 0, failed: 0, stale: 1 });
    expect(engine.taken).toHaveLength(0);
    expect((await commands()).map((c) => c.status)).toEqual(['stale']);
  });
});
