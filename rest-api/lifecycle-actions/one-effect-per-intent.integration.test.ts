/**
 * One effect per intent, on the real database (PGlite; PostgreSQL too when DATABASE_URL is set) with real
 * concurrency: ten identical suspend (then resume) requests at once send one message to the process and write one
 * audit entry; the other nine answer 409 and change nothing. The engine here takes every message, as BPMN 6's
 * non-interrupting event sub-process does, so only the platform's own guard keeps the intent single. A message
 * the engine refuses, or an unreachable engine, leaves no audit entry behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, transitionPermit, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { breakInserts } from '../../db/testing/row-counts.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { ConflictError, InvalidTransitionError, MESSAGES, UnavailableError } from '../../shared/index.js';
import type { EnginePort, PublishMessageRequest } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createKnexPermitStore } from '../permits/knex-permit-store.js';
import type { UserDirectory } from '../team/user-directory-port.js';
import { createLifecycleActionsService } from './lifecycle-actions-service.js';

const rita: Caller = { userId: 'rita', name: 'Rita Hansen', roles: ['hdab-reviewer'] };

function takingEngine() {
  const correlated: PublishMessageRequest[] = [];
  let next: 'take' | 'refuse' | 'down' = 'take';
  const engine = {
    correlated,
    refuseNext: () => (next = 'refuse'),
    downNext: () => (next = 'down'),
    async isWaitingFor() {
      await sleep(5); // an engine round trip, so the requests really overlap
      const mode = next;
      next = 'take';
      if (mode === 'down') throw new UnavailableError('The process engine is unreachable; retry later.');
      return mode === 'take';
    },
    async publishMessage(request: PublishMessageRequest) {
      await sleep(5);
      // As Zeebe: a message id the engine still holds is refused (ALREADY_EXISTS).
      if (correlated.some((m) => m.messageId === request.messageId)) return 'duplicate' as const;
      correlated.push(request);
      return 'published' as const;
    },
  };
  return engine as typeof engine & EnginePort;
}

describe.each(testDatabaseTargets())('one effect per intent on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  let engine: ReturnType<typeof takingEngine>;
  let service: ReturnType<typeof createLifecycleActionsService>;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'rita', team_role: 'HDAB_TEAM', added_by: 'seed' });
    const permits = createKnexPermitStore(knex);
    engine = takingEngine();
    service = createLifecycleActionsService({ access: createPermitAccess(permits), engine, permits, directory: {} as UserDirectory });
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const auditOf = async (action: string) => Number(((await knex(TABLES.auditLog).where({ action }).count({ n: '*' })) as { n: string | number }[])[0]?.n);

  it('ten identical concurrent suspends: one message, one audit entry, nine 409s; the resume after it likewise', async () => {
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => service.suspend(rita, permitId, { reason: 'Security incident' })));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refusals = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => a.reason as unknown);
    expect(refusals).toHaveLength(9);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ConflictError);
    expect(engine.correlated.map((m) => m.name)).toEqual([MESSAGES.suspensionRequested]);
    expect(engine.correlated).toHaveLength(1);
    expect(await auditOf('permit.suspend')).toBe(1);

    // A late repeat, before the process has moved the status, is the same intent.
    await expect(service.suspend(rita, permitId, { reason: 'Another reason' })).rejects.toBeInstanceOf(ConflictError);
    expect(engine.correlated).toHaveLength(1);

    // The process suspends the permit (its permit.set-status worker); then ten resumes make one.
    await transitionPermit(knex, { permitId, to: 'SUSPENDED', actor: 'system:process' });
    const resumes = await Promise.allSettled(Array.from({ length: 10 }, () => service.resume(rita, permitId, {})));
    expect(resumes.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(engine.correlated).toHaveLength(2);
    expect(await auditOf('permit.resume')).toBe(1);

    // Resumed: suspending again is a new intent.
    await transitionPermit(knex, { permitId, to: 'ANALYSIS_ACTIVE', actor: 'system:process' });
    await service.suspend(rita, permitId, { reason: 'Second incident' });
    expect(engine.correlated).toHaveLength(3);
    expect(await auditOf('permit.suspend')).toBe(2);
  });

  it('a message the process does not take, or an unreachable engine, leaves no audit entry, and a retry then works once', async () => {
    engine.refuseNext();
    await expect(service.suspend(rita, permitId, { reason: 'Security incident' })).rejects.toBeInstanceOf(InvalidTransitionError);
    engine.downNext();
    await expect(service.suspend(rita, permitId, { reason: 'Security incident' })).rejects.toBeInstanceOf(UnavailableError);
    expect(await auditOf('permit.suspend')).toBe(0);
    expect(engine.correlated).toHaveLength(0);
    await service.suspend(rita, permitId, { reason: 'Security incident' });
    expect(await auditOf('permit.suspend')).toBe(1);
  });

  it('writes locally before it tells the engine: when the audit write fails, no message was sent', async () => {
    await breakInserts(knex, TABLES.auditLog);
    await expect(service.suspend(rita, permitId, { reason: 'Security incident' })).rejects.toThrow(/insert refused by test/);
    expect(engine.correlated).toHaveLength(0);
    expect(await auditOf('permit.suspend')).toBe(0);
  });

  it('ten identical concurrent closes and revokes are one each', async () => {
    const closes = await Promise.allSettled(Array.from({ length: 10 }, () => service.close(rita, permitId, {})));
    expect(closes.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const revokes = await Promise.allSettled(Array.from({ length: 10 }, () => service.revoke(rita, permitId, { reason: 'Breach of terms' })));
    expect(revokes.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(engine.correlated).toHaveLength(2);
  });
});
