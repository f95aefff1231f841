/**
 * Submitting an output request is one effect per intent on the real database (PGlite; PostgreSQL too when
 * DATABASE_URL is set): ten identical concurrent submits move the request once, send one message and write one
 * audit entry; the other nine answer 409. A message the process does not take leaves the request a DRAFT with no
 * audit entry.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, type Database } from '../../db/index.js';
import { insertEgressRequest, insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { ConflictError, InvalidTransitionError } from '../../shared/index.js';
import { NoWaitingSubscriptionError, type CorrelateMessageRequest, type EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createPermitStore } from '../permits/permit-store.js';
import { createEgressService } from './egress-service.js';
import { createEgressStore } from './egress-store.js';

const alice: Caller = { userId: 'alice', name: 'Alice Okafor', roles: ['researcher'] };

describe.each(testDatabaseTargets())('output request submission on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  let requestId: string;
  const correlated: CorrelateMessageRequest[] = [];
  let refuse = false;
  const engine = {
    async correlateMessage(request: CorrelateMessageRequest) {
      await sleep(5);
      if (refuse) throw new NoWaitingSubscriptionError(request.name, request.correlationKey);
      correlated.push(request);
      return { processInstanceKey: '1' };
    },
  } as unknown as EnginePort;

  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    correlated.length = 0;
    refuse = false;
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE', processInstanceKey: '1' })).id;
    await knex(TABLES.permitMembers).insert({ permit_id: permitId, user_id: 'alice', team_role: 'RESEARCH_TEAM', added_by: 'seed' });
    requestId = (await insertEgressRequest(knex, permitId, { status: 'DRAFT' })).id;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  const service = () => createEgressService({ access: createPermitAccess(createPermitStore(knex)), engine, store: createEgressStore(knex) });
  const audits = async () => Number(((await knex(TABLES.auditLog).where({ action: 'egress.request-submitted' }).count({ n: '*' })) as { n: string | number }[])[0]?.n);

  it('ten identical concurrent submits: one status change, one message, one audit entry, nine 409s', async () => {
    const egress = service();
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => egress.submit(alice, permitId, requestId)));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const refused of answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
      expect([ConflictError, InvalidTransitionError].some((kind) => refused.reason instanceof kind)).toBe(true);
    }
    expect(correlated).toHaveLength(1);
    expect(await audits()).toBe(1);
  });

  it('a message the process does not take leaves the request a DRAFT and no audit entry', async () => {
    refuse = true;
    await expect(service().submit(alice, permitId, requestId)).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(((await knex(TABLES.egressRequests).where({ id: requestId }).first('status')) as { status: string }).status).toBe('DRAFT');
    expect(await audits()).toBe(0);
  });
});
