/**
 * Opening ingress on the real database (PGlite; PostgreSQL too when DATABASE_URL is set), through the
 * engine-command outbox (docs/adr/0006-engine-commands.md): the data holders, the permit's version, both audit
 * entries, the members event and the engine command are one transaction; the message is published after the commit
 * by its id. Ten identical concurrent requests make one change and one message; a refused request writes nothing;
 * a failure between the commit and the engine (answer lost, engine unreachable, the relay failing too) ends with
 * the engine holding the message exactly once. The engine here keeps message ids as Zeebe does.
 */
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_COMMANDS_TABLE, TABLES, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { ConflictError, InvalidTransitionError, MESSAGES } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import { createEngineCommandRelay } from '../permits/engine-command-relay.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import { createFakeUserDirectory } from '../team/fake-user-directory.js';
import { createIngressFeature } from './create-ingress-feature.js';
import { createIdKeepingEngine } from '../engine/testing/id-keeping-engine.js';

const rita: Caller = { userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'] };
const logger = pino({ level: 'silent' });

describe.each(testDatabaseTargets())('opening ingress on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  let engine: ReturnType<typeof createIdKeepingEngine>;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    engine = createIdKeepingEngine();
    permitId = (await insertPermit(knex, { status: 'APPROVED', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert([
      { permit_id: permitId, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'seed' },
      { permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' },
    ]);
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const service = () => {
    const permits = createKnexPermitStore(knex);
    const directory = createFakeUserDirectory();
    directory.add('hugo', ['data-holder']);
    return createIngressFeature({ knex, access: createPermitAccess(permits), engine, permits, directory, logger }).service;
  };
  const relay = () => createEngineCommandRelay({ knex, engine, logger, graceMs: 0 });
  const key = () => `api:permit.initiate-ingress:${permitId}:v1`;
  const footprint = async () => ({
    version: ((await knex(TABLES.permits).where({ id: permitId }).first('version')) as { version: number }).version,
    dataHolders: ((await knex(TABLES.permitMembers).where({ permit_id: permitId, team_role: 'DATA_HOLDER' }).orderBy('user_id').select('user_id')) as { user_id: string }[]).map((r) => r.user_id),
    audits: ((await knex(TABLES.auditLog).where({ permit_id: permitId }).orderBy('seq').select('action')) as { action: string }[]).map((r) => r.action),
    events: Number(((await knex(TABLES.outboxEvents).where({ permit_id: permitId }).count({ n: '*' })) as { n: string | number }[])[0]?.n),
    commands: (await knex(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId }).select('message_id', 'status')) as { message_id: string; status: string }[],
  });
  const opened = (status: string) => ({
    version: 2,
    dataHolders: ['dana'],
    audits: ['team.data-holders-added', 'permit.initiate-ingress'],
    events: 1,
    commands: [{ message_id: key(), status }],
  });

  it('ten identical concurrent requests: one team change, one audit pair, one event, one command, one message; nine 409s', async () => {
    const ingress = service();
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => ingress.initiate(rita, permitId, { dataHolders: ['dana'] })));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true);
    expect(engine.taken.map((m) => [m.name, m.messageId])).toEqual([[MESSAGES.ingressInitiationRequested, key()]]);
    expect(await footprint()).toEqual(opened('delivered'));
  });

  it('refused requests write nothing: the process not waiting, someone on another team, a stale If-Match', async () => {
    const before = await footprint();
    engine.setWaiting(false);
    await expect(service().initiate(rita, permitId, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(InvalidTransitionError);
    engine.setWaiting(true);
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'hugo', team_role: 'RESEARCH_TEAM', added_by: 'seed' });
    await expect(service().initiate(rita, permitId, { dataHolders: ['dana', 'hugo'] })).rejects.toBeInstanceOf(ConflictError);
    await expect(service().initiate(rita, permitId, { dataHolders: ['dana'] }, 9)).rejects.toThrow(/stale|changed/);
    expect(await footprint()).toEqual(before);
    expect(engine.taken).toEqual([]);
  });

  it('the answer lost after the engine took the message: the relay finds it there, the engine holds it once', async () => {
    engine.failNext('lose-answer');
    await service().initiate(rita, permitId, { dataHolders: ['dana'] });
    expect(await footprint()).toEqual(opened('pending'));
    expect(await relay().runOnce()).toEqual({ delivered: 1, failed: 0, stale: 0 });
    expect(engine.taken).toHaveLength(1);
    expect(await footprint()).toEqual(opened('delivered'));
  });

  it('the engine unreachable after the commit and at the relay\'s first try: two relays deliver it once; a repeat is refused throughout', async () => {
    engine.failNext('unreachable', 'unreachable');
    await service().initiate(rita, permitId, { dataHolders: ['dana'] });
    expect(await relay().runOnce()).toEqual({ delivered: 0, failed: 1, stale: 0 });
    await expect(service().initiate(rita, permitId, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(ConflictError);
    await Promise.all([relay().runOnce(), relay().runOnce()]);
    expect(engine.taken.map((m) => m.messageId)).toEqual([key()]);
    expect(await footprint()).toEqual(opened('delivered'));
    await expect(service().initiate(rita, permitId, { dataHolders: ['dana'] })).rejects.toBeInstanceOf(ConflictError);
    expect(await footprint()).toEqual(opened('delivered'));
  });
});
