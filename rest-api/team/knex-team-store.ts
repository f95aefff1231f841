/**
 * `TeamStore` on the Permit Manager's database: member rows, the permit's version, the audit entry and the outbox
 * event in one transaction per change.
 */
import type { Knex } from 'knex';
import { ConflictError, EVENTS, PreconditionFailedError } from '../../shared/index.js';
import { TABLES, appendAudit, enqueueEvent, toMember, type MemberRow, type PermitRow } from '../../db/index.js';
import type { TeamStore } from './team-store.js';

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

export function createKnexTeamStore(knex: Knex): TeamStore {
  return {
    async add(change, confirm) {
      return knex.transaction(async (trx) => {
        if (change.guard) {
          await trx<PermitRow>(TABLES.permits).where({ id: change.permitId }).forUpdate().first('id');
          const current = (await trx<MemberRow>(TABLES.permitMembers).where({ permit_id: change.permitId }).select('*')) as MemberRow[];
          change.guard(current.map(toMember));
        }
        const rows = (await trx<MemberRow>(TABLES.permitMembers)
          .insert(change.members.map((m) => ({ permit_id: change.permitId, user_id: m.userId, team_role: m.teamRole, added_by: change.actor })))
          .onConflict(['permit_id', 'user_id', 'team_role'])
          .ignore()
          .returning('*')) as MemberRow[];
        if (rows.length > 0) {
          await bumpVersion(trx, change.permitId, change.expectedVersion);
          await appendAudit(trx, {
            actor: change.actor,
            action: change.auditAction,
            permitId: change.permitId,
            details: { members: rows.map((r) => ({ userId: r.user_id, teamRole: r.team_role })), ...change.details },
          });
          await enqueueEvent(trx, { name: EVENTS.membersChanged, permitId: change.permitId, payload: { added: rows.map((r) => ({ userId: r.user_id, teamRole: r.team_role })), removed: [] } });
        }
        await confirm?.();
        return rows.map(toMember);
      });
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
