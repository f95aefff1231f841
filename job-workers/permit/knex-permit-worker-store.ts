/**
 * `PermitWorkerStore` on the Permit Manager's database (`db/`). Status changes go through `transitionPermit`; the
 * other writes open one transaction each, lock the permit row first (so two deliveries of one job serialize),
 * and use the job's idempotency key on the audit entry as the "already done" marker.
 */
import type { Knex } from 'knex';
import { EVENTS, NotFoundError, type EgressStatus, type PermitStatus, type TeamRole } from '../../shared/index.js';
import { TABLES, appendAudit, enqueueEvent, toDirectoryRoles, transitionEgressRequest, transitionPermit, type PermitRow } from '../../db/index.js';
import { assertAmendmentTeamRules } from './amendment-team-rules.js';
import type { AmendmentChange, PermitWorkerStore, StatusChange, StatusChangeResult } from './permit-worker-store.js';

/** Audit action of an applied amendment. */
export const AMENDMENT_APPLIED_ACTION = 'permit.amendment.applied';

export function createKnexPermitWorkerStore(knex: Knex): PermitWorkerStore {
  return {
    async transition(change) {
      return toResult(await transitionPermit(knex, transitionInput(change)));
    },

    async currentStatus(permitId) {
      const row = (await knex(TABLES.permits).where({ id: permitId }).first('status')) as Pick<PermitRow, 'status'> | undefined;
      if (!row) throw new NotFoundError(`Permit ${permitId} does not exist`, { permitId });
      return row.status;
    },

    async openEgressRequests(permitId, exceptId) {
      const query = knex(TABLES.egressRequests).where({ permit_id: permitId }).whereIn('status', ['SUBMITTED', 'IN_REVIEW'] satisfies EgressStatus[]);
      if (exceptId) query.whereNot({ id: exceptId });
      return ((await query.select('id')) as Array<{ id: string }>).map((row) => row.id);
    },

    async statusBeforeLatestSuspension(permitId) {
      const row = (await knex(TABLES.permitStatusHistory)
        .where({ permit_id: permitId, new_status: 'SUSPENDED' satisfies PermitStatus })
        .orderBy('id', 'desc')
        .first('previous_status')) as { previous_status: PermitStatus | null } | undefined;
      return row?.previous_status ?? undefined;
    },

    async issue(change) {
      // The validity window is written by the status change's own update (one transaction, no lock or savepoint of
      // its own): a permit already in `to`, or a repeat of the job, changes nothing, the window included.
      return toResult(await transitionPermit(knex, { ...transitionInput(change), validity: { validFrom: change.validFrom, validUntil: change.validUntil } }));
    },

    async publishEvent(event) {
      const { created } = await enqueueEvent(knex, { id: event.id, name: event.name, permitId: event.permitId, payload: event.payload });
      return { enqueued: created };
    },

    async setEgressStatus(change) {
      const result = await transitionEgressRequest(knex, {
        permitId: change.permitId,
        egressRequestId: change.egressRequestId,
        to: change.to,
        actor: change.actor,
        event: change.event,
        processInstanceKey: change.processInstanceKey,
        idempotencyKey: change.idempotencyKey,
        ...(change.releasePolicy ? { releasePolicy: change.releasePolicy } : {}),
      });
      return { changed: result.changed, status: result.request.status };
    },

    async applyAmendment(change) {
      return knex.transaction((trx) => applyAmendment(trx, change));
    },
  };
}

function transitionInput(change: StatusChange) {
  return {
    permitId: change.permitId,
    to: change.to,
    expectedStatus: change.expectedStatus,
    actor: change.actor,
    reason: change.reason,
    event: change.event,
    processInstanceKey: change.processInstanceKey,
    idempotencyKey: change.idempotencyKey,
    payload: change.payload,
  };
}

function toResult(result: { permit: PermitRow; changed: boolean }): StatusChangeResult {
  return { changed: result.changed, status: result.permit.status, version: result.permit.version };
}

async function lockPermit(trx: Knex.Transaction, permitId: string): Promise<PermitRow> {
  const permit = (await trx(TABLES.permits).where({ id: permitId }).forUpdate().first()) as PermitRow | undefined;
  if (!permit) throw new NotFoundError(`Permit ${permitId} does not exist`, { permitId });
  return permit;
}

async function applyAmendment(trx: Knex.Transaction, change: AmendmentChange): Promise<{ applied: boolean }> {
  const permit = await lockPermit(trx, change.permitId);
  if (await trx(TABLES.auditLog).where({ idempotency_key: change.idempotencyKey }).first('seq')) return { applied: false };
  const { validUntil, addMembers = [], removeMembers = [] } = change.amendment;
  if (addMembers.length > 0) {
    const members = (await trx(TABLES.permitMembers).where({ permit_id: permit.id }).select('user_id', 'team_role')) as { user_id: string; team_role: TeamRole }[];
    const known = (await trx(TABLES.userDirectory).whereIn('user_id', [...new Set(addMembers.map((m) => m.userId))]).select('user_id', 'roles')) as { user_id: string; roles: unknown }[];
    assertAmendmentTeamRules(
      permit.id,
      change.amendment,
      members.map((m) => ({ userId: m.user_id, teamRole: m.team_role })),
      known.map((u) => ({ userId: u.user_id, roles: toDirectoryRoles(u.roles) })),
    );
  }
  const occurredAt = new Date();

  // The rows really removed and added (returned, not counted: PGlite answers a delete with a result object).
  const removed: TeamMember[] = [];
  for (const removal of removeMembers) {
    const rows = (await trx(TABLES.permitMembers)
      .where({ permit_id: permit.id, user_id: removal.userId })
      .modify((q: Knex.QueryBuilder) => {
        if (removal.teamRole) void q.where({ team_role: removal.teamRole });
      })
      .delete()
      .returning(['user_id', 'team_role'])) as MemberKey[];
    removed.push(...rows.map(toTeamMember));
  }
  const added: TeamMember[] = [];
  if (addMembers.length > 0) {
    const rows = addMembers.map((m) => ({ permit_id: permit.id, user_id: m.userId, team_role: m.teamRole, added_by: change.actor, added_at: occurredAt }));
    const inserted = (await trx(TABLES.permitMembers).insert(rows).onConflict(['permit_id', 'user_id', 'team_role']).ignore().returning(['user_id', 'team_role'])) as MemberKey[];
    added.push(...inserted.map(toTeamMember));
  }
  const [updated] = (await trx(TABLES.permits)
    .where({ id: permit.id })
    .update({ ...(validUntil && { valid_until: validUntil }), version: trx.raw('version + 1'), updated_at: occurredAt })
    .returning('version')) as { version: number }[];

  const summary = {
    permitId: permit.id,
    validUntil: validUntil?.toISOString() ?? null,
    previousValidUntil: permit.valid_until ? new Date(permit.valid_until).toISOString() : null,
    addedMembers: addMembers,
    removedMembers: removeMembers,
    version: updated?.version ?? permit.version + 1,
    actor: change.actor,
    processInstanceKey: change.processInstanceKey,
    occurredAt: occurredAt.toISOString(),
  };
  await appendAudit(trx, {
    actor: change.actor,
    action: AMENDMENT_APPLIED_ACTION,
    permitId: permit.id,
    details: summary,
    idempotencyKey: change.idempotencyKey,
  });
  await enqueueEvent(trx, { name: change.event, permitId: permit.id, payload: summary, occurredAt });
  // A team change, as the team store writes it: the workspace service follows it to update the access list at once.
  if (added.length > 0 || removed.length > 0) {
    await enqueueEvent(trx, { name: EVENTS.membersChanged, permitId: permit.id, payload: { added, removed }, occurredAt });
  }
  return { applied: true };
}

interface MemberKey {
  user_id: string;
  team_role: TeamRole;
}
interface TeamMember {
  userId: string;
  teamRole: TeamRole;
}
const toTeamMember = (row: MemberKey): TeamMember => ({ userId: row.user_id, teamRole: row.team_role });
