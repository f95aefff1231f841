import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, InvalidTransitionError, NotFoundError, PreconditionFailedError } from '../../shared/index.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import type { Database } from '../create-database.js';
import { insertEgressRequest, insertPermit } from '../testing/permit-fixtures.js';
import { breakInserts, rowCounts } from '../testing/row-counts.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { toAuditEntry, type AuditRow } from '../audit/audit-rows.js';
import type { OutboxEventRow } from '../outbox/outbox-event-rows.js';
import { TABLES } from '../types.js';
import { toEgressRequest, type EgressRequestRow } from './egress-request-rows.js';
import { transitionEgressRequest } from './transition-egress-request.js';

const targets = testDatabaseTargets();

describe.each(targets)('transitionEgressRequest on $name', (target) => {
  let db: Database;
  let knex: Knex;
  let permitId: string;
  beforeEach(async () => {
    db = await target.open();
    knex = db.knex;
    permitId = (await insertPermit(knex, { status: 'ANALYSIS_ACTIVE' })).id;
  });
  afterEach(() => db.close());
  afterAll(() => target.dispose());

  it('moves an allowed transition, records the submitter, and writes the audit entry and the caller’s event', async () => {
    const request = await insertEgressRequest(knex, permitId);
    const result = await transitionEgressRequest(knex, {
      egressRequestId: request.id,
      permitId,
      to: 'SUBMITTED',
      expectedVersion: 1,
      actor: 'alice',
      submittedBy: 'alice',
      event: EVENTS.egressSubmitted,
      processInstanceKey: '77',
    });
    expect(result.changed).toBe(true);
    expect(toEgressRequest(result.request)).toMatchObject({ status: 'SUBMITTED', version: 2, submittedBy: 'alice', files: [{ path: 'outputs/table-1.csv', description: 'Counts by region, n >= 10' }] });
    const audit = ((await knex(TABLES.auditLog)) as AuditRow[]).map(toAuditEntry);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'egress.status.changed', permitId, details: expect.objectContaining({ egressRequestId: request.id, previousStatus: 'DRAFT', newStatus: 'SUBMITTED', event: EVENTS.egressSubmitted }) }),
    ]);
    const outbox = (await knex(TABLES.outboxEvents)) as OutboxEventRow[];
    expect(outbox.map((e) => [e.name, e.permit_id, e.payload])).toEqual([
      [EVENTS.egressSubmitted, permitId, expect.objectContaining({ permitId, egressRequestId: request.id, previousStatus: 'DRAFT', newStatus: 'SUBMITTED', version: 2, processInstanceKey: '77' })],
    ]);
    expect((await verifyAuditLog(knex)).ok).toBe(true);
  });

  it('publishes nothing when the caller names no event, and writes no permit history', async () => {
    const request = await insertEgressRequest(knex, permitId, { status: 'SUBMITTED' });
    await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'IN_REVIEW', actor: 'worker' });
    expect(await rowCounts(knex)).toEqual({ history: 0, audit: 1, outbox: 0, chainHead: 1 });
  });

  it("records what the output release policy decided with the change, in the audit entry and the event (issue 19)", async () => {
    const request = await insertEgressRequest(knex, permitId, { status: 'SUBMITTED' });
    const releasePolicy = { requiredReviews: 2 as const, reason: 'At least one file failed the disclosure checks.' };
    const result = await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'IN_REVIEW', actor: 'worker', event: EVENTS.egressSubmitted, releasePolicy });
    expect(toEgressRequest(result.request)).toMatchObject({ status: 'IN_REVIEW', requiredReviews: 2, requiredReviewsReason: releasePolicy.reason });
    const [audit] = ((await knex(TABLES.auditLog)) as AuditRow[]).map(toAuditEntry);
    expect(audit?.details).toMatchObject({ requiredReviews: 2, requiredReviewsReason: releasePolicy.reason });
    const [event] = (await knex(TABLES.outboxEvents)) as OutboxEventRow[];
    expect(event?.payload).toMatchObject({ requiredReviews: 2, requiredReviewsReason: releasePolicy.reason });
    // A policy that is not 1 or 2 reviews is refused, changing nothing.
    await expect(transitionEgressRequest(knex, { egressRequestId: request.id, to: 'APPROVED', actor: 'worker', releasePolicy: { requiredReviews: 3 as never, reason: 'r' } })).rejects.toThrow(
      /releasePolicy must be \{ requiredReviews: 1 or 2, reason: a non-empty string \}/,
    );
  });

  it('loops rework back to submission and treats the same status as done', async () => {
    const request = await insertEgressRequest(knex, permitId, { status: 'IN_REVIEW' });
    await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'REWORK_REQUESTED', actor: 'rita', event: EVENTS.egressReworkRequested });
    await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'SUBMITTED', actor: 'alice' });
    const before = await rowCounts(knex);
    const again = await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'SUBMITTED', actor: 'alice' });
    expect(again).toEqual({ request: expect.objectContaining({ status: 'SUBMITTED', version: 3 }), changed: false });
    expect(await rowCounts(knex)).toEqual(before);
  });

  it('refuses illegal transitions, stale versions, unknown requests and requests of another permit', async () => {
    const request = await insertEgressRequest(knex, permitId);
    const illegal = await transitionEgressRequest(knex, { egressRequestId: request.id, to: 'RELEASED', actor: 'x' }).catch((e: unknown) => e);
    expect(illegal).toBeInstanceOf(InvalidTransitionError);
    expect(illegal).toMatchObject({ currentStatus: 'DRAFT', details: { allowedStatuses: ['SUBMITTED'] } });
    await expect(transitionEgressRequest(knex, { egressRequestId: request.id, to: 'SUBMITTED', expectedVersion: 9, actor: 'x' })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(transitionEgressRequest(knex, { egressRequestId: 'nope', to: 'SUBMITTED', actor: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(transitionEgressRequest(knex, { egressRequestId: request.id, permitId: 'other-permit', to: 'SUBMITTED', actor: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await rowCounts(knex)).toEqual({ history: 0, audit: 0, outbox: 0, chainHead: 0 });
  });

  it('rolls the change back when its event cannot be written', async () => {
    const request = await insertEgressRequest(knex, permitId, { status: 'APPROVED' });
    await breakInserts(knex, TABLES.outboxEvents);
    await expect(transitionEgressRequest(knex, { egressRequestId: request.id, to: 'RELEASED', actor: 'worker', event: EVENTS.egressReleased })).rejects.toThrow(/insert refused by test/);
    expect(((await knex(TABLES.egressRequests).where({ id: request.id }).first()) as EgressRequestRow).status).toBe('APPROVED');
    expect(await rowCounts(knex)).toEqual({ history: 0, audit: 0, outbox: 0, chainHead: 0 });
  });
});
