/**
 * `TeamStore` on the Permit Manager's database: member rows, the permit's version, the audit entry and the outbox
 * event in one transaction per change (and, for `addAndSend`, the engine command the change owes the process).
 */
import type { Knex } from 'knex';
import { ConflictError, EVENTS, PreconditionFailedError } from '../../shared/index.js';
import { TABLES, appendAudit, enqueueEvent, toMember, type Member, type MemberRow, type PermitRow } from '../../db/index.js';
import { recordPermitCommand, settleEngineCommand } from '../permits/engine-command-relay.js';
import type { MemberChange, TeamStore } from './team-store.js';

async function bumpVersion(trx: Knex.Transaction, permitId: string, expectedVersion: number | undefined): Promise<void> {
  const query = trx<PermitRow>(TABLES.permits).where({ id: permitId });
  if (expectedVersion !== undefined) query.andWhere({ version: expectedVersion });
  // The updated rows, not the count (PGlite's driver answers with a result object, not a number).
  const updated = (await query.update({ version: trx.raw('version + 1'), updated_at: trx.fn.now() } as never).returning('id')) as unknown[];
  if (updated.length === 0) {
    if (expectedVersion !== undefined) throw new PreconditionFailedError(`Permit ${permitId} changed while you edited its team (If-Match "${expectedVersion}" is stale). Read it again and retry.`);
    throw new ConflictError(`Permit ${permitId} disappeared while its team was being changed.`);
  }
}

/** Runs the guard on the current members (the permit row locked by the caller) and inserts who is not there yet. */
async function insertMembers(trx: Knex.Transaction, change: MemberChange): Promise<MemberRow[]> {
  if (change.guard) {
    const current = (await trx<MemberRow>(TABLES.permitMembers).where({ permit_id: change.permitId }).select('*')) as MemberRow[];
    change.guard(current.map(toMember));
  }
  return (await trx<MemberRow>(TABLES.permitMembers)
    .insert(change.members.map((m) => ({ permit_id: change.permitId, user_id: m.userId, team_role: m.teamRole, added_by: change.actor })))
    .onConflict(['permit_id', 'user_id', 'team_role'])
    .ignore()
    .returning('*')) as MemberRow[];
}

const asMembers = (rows: readonly MemberRow[]) => rows.map((r) => ({ userId: r.user_id, teamRole: r.team_role }));

function auditAdded(trx: Knex.Transaction, change: MemberChange, rows: readonly MemberRow[]) {
  return appendAudit(trx, { actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { members: asMembers(rows), ...change.details } });
}

function eventAdded(trx: Knex.Transaction, change: MemberChange, rows: readonly MemberRow[]) {
  return enqueueEvent(trx, { name: EVENTS.membersChanged, permitId: change.permitId, payload: { added: asMembers(rows), removed: [] } });
}

export function createKnexTeamStore(knex: Knex): TeamStore {
  return {
    async add(change) {
      return knex.transaction(async (trx) => {
        if (change.guard) await trx<PermitRow>(TABLES.permits).where({ id: change.permitId }).forUpdate().first('id');
        const rows = await insertMembers(trx, change);
        if (rows.length > 0) {
          await bumpVersion(trx, change.permitId, change.expectedVersion);
          await auditAdded(trx, change, rows);
          await eventAdded(trx, change, rows);
        }
        return rows.map(toMember);
      });
    },

    async addAndSend(change, message, deliver) {
      const { command } = message;
      const added = await knex.transaction(async (trx): Promise<Member[]> => {
        // Concurrent changes of the permit queue here; the second sees what the first wrote.
        const permit = (await trx<PermitRow>(TABLES.permits).where({ id: change.permitId }).forUpdate().first('version')) as Pick<PermitRow, 'version'> | undefined;
        if (!permit) throw new ConflictError(`Permit ${change.permitId} disappeared while its team was being changed.`);
        if ((await trx(TABLES.auditLog).where({ idempotency_key: command.messageId }).first('seq')) !== undefined) {
          throw new ConflictError(`${message.what} was already requested for permit ${change.permitId} at this version and is being carried out; this repeat changed nothing. Reload the permit to see its status.`, {
            permitId: change.permitId,
          });
        }
        if (permit.version !== message.checkedVersion) {
          if (change.expectedVersion !== undefined) throw new PreconditionFailedError(`Permit ${change.permitId} changed while you edited its team (If-Match "${change.expectedVersion}" is stale). Read it again and retry.`);
          throw new ConflictError(`Permit ${change.permitId} changed while ${message.what} was being checked; nothing was written. Reload the permit and retry.`, { permitId: change.permitId });
        }
        await recordPermitCommand(trx, command, { what: message.what, ...(message.oncePerPermit ? { oncePerPermit: true } : {}) });
        const rows = await insertMembers(trx, change);
        if (rows.length > 0) {
          await bumpVersion(trx, change.permitId, change.expectedVersion);
          await auditAdded(trx, change, rows);
        }
        await appendAudit(trx, { ...message.audit, idempotencyKey: command.messageId });
        if (rows.length > 0) await eventAdded(trx, change, rows);
        return rows.map(toMember);
      });
      return { added, delivery: await settleEngineCommand(knex, command, deliver) };
    },

    async remove(change) {
      const [member] = change.members;
      return knex.transaction(async (trx) => {
        // The deleted rows, not the count: PGlite's driver answers a delete with a result object, not a number.
        const deleted = (await trx<MemberRow>(TABLES.permitMembers)
          .where({ permit_id: change.permitId, user_id: member.userId, team_role: member.teamRole })
          .delete()
          .returning('user_id')) as unknown[];
        if (deleted.length === 0) return false;
        await bumpVersion(trx, change.permitId, change.expectedVersion);
        await appendAudit(trx, { actor: change.actor, action: change.auditAction, permitId: change.permitId, details: { member, ...change.details } });
        await enqueueEvent(trx, { name: EVENTS.membersChanged, permitId: change.permitId, payload: { added: [], removed: [member] } });
        return true;
      });
    },

    async countRole(permitId, teamRole) {
      const [row] = await knex<MemberRow>(TABLES.permitMembers).where({ permit_id: permitId, team_role: teamRole }).count<{ count: string | number }[]>({ count: '*' });
      return Number(row?.count ?? 0);
    },
  };
}
