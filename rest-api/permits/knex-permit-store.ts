/**
 * `PermitStore` on the Permit Manager database (knex; PostgreSQL or PGlite): permits, their members and status
 * history, the audit log and the engine commands an intent owes the process. Every change is one transaction with
 * its audit entry (and outbox event where the API announces one).
 */
import type { Knex } from 'knex';
import { ConflictError, EVENTS } from '../../shared/index.js';
import { ENGINE_COMMANDS_TABLE, TABLES, appendAudit, enqueueEvent, leaseCommand, markCommandDelivered, pendingCommandsOf, recordEngineCommand, toEngineCommand, type EngineCommand, type EngineCommandRow, toMember, toPermit, toStatusHistoryEntry, type MemberRow, type PermitRow, type StatusHistoryRow } from '../../db/index.js';
import { createBatchedPermitReads } from './batched-permit-reads.js';
import { recordPermitCommand, settleEngineCommand } from './engine-command-relay.js';
import type { PermitStore } from './permit-store.js';

export function createKnexPermitStore(knex: Knex): PermitStore {
  return {
    async findById(id) {
      const row = await knex<PermitRow>(TABLES.permits).where({ id }).first();
      return row ? toPermit(row) : undefined;
    },

    // Batched: the reads that arrive together are one query (batched-permit-reads.ts).
    findWithTeamRoles: createBatchedPermitReads(knex),

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await knex<PermitRow>(TABLES.permits).whereIn('id', [...ids]);
      return rows.map(toPermit);
    },

    async teamRolesOf(permitId, userId) {
      const rows = await knex<MemberRow>(TABLES.permitMembers).where({ permit_id: permitId, user_id: userId }).select('team_role');
      return rows.map((row) => row.team_role);
    },

    async permitIdsOf(userId, teamRole) {
      const rows = await knex<MemberRow>(TABLES.permitMembers).where({ user_id: userId, team_role: teamRole }).select('permit_id');
      return rows.map((row) => row.permit_id);
    },

    async createDraft(permit, members, idempotency, start) {
      return knex.transaction(async (trx) => {
        if (idempotency) {
          // Locks the key's row: a request that took the key over waits here for one still creating under it.
          const key = (await trx(TABLES.idempotencyKeys).where(idempotency).forUpdate().first('resource_id')) as { resource_id: string | null } | undefined;
          if (!key) throw new ConflictError('The Idempotency-Key of this request was released while it ran; send the request again with the same key.');
          if (key.resource_id) {
            const earlier = await trx<PermitRow>(TABLES.permits).where({ id: key.resource_id }).first();
            if (earlier) return toPermit(earlier);
          }
        }
        const [row] = await trx<PermitRow>(TABLES.permits)
          .insert({
            id: permit.id,
            title: permit.title,
            purpose: permit.purpose,
            status: 'DRAFT',
            valid_from: permit.validFrom,
            valid_until: permit.validUntil,
            deletion_grace_period: permit.deletionGracePeriod,
            created_by: permit.createdBy,
          })
          .returning('*');
        if (members.length > 0) {
          await trx<MemberRow>(TABLES.permitMembers)
            .insert(members.map((m) => ({ permit_id: permit.id, user_id: m.userId, team_role: m.teamRole, added_by: permit.createdBy })))
            .onConflict(['permit_id', 'user_id', 'team_role'])
            .ignore();
        }
        if (idempotency) await trx(TABLES.idempotencyKeys).where(idempotency).update({ resource_id: permit.id });
        if (start) await recordPermitCommand(trx, { ...start, kind: 'process-start' }, { what: 'creating the permit' });
        return toPermit(row as PermitRow);
      });
    },

    async pendingStartOf(permitId) {
      const row = (await knex(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId, kind: 'process-start', status: 'pending' }).first()) as EngineCommandRow | undefined;
      if (!row) return undefined;
      const { messageId, messageName, correlationKey, variables, kind } = toEngineCommand(row);
      return { messageId, permitId, messageName, correlationKey, variables, kind };
    },

    leaseStart(messageId, ms) {
      return leaseCommand(knex, messageId, ms);
    },

    async attachProcess(permitId, processInstanceKey, audit, commandId) {
      return knex.transaction(async (trx) => {
        const [attached] = (await trx<PermitRow>(TABLES.permits)
          .where({ id: permitId })
          .whereNull('process_instance_key')
          .update({ process_instance_key: processInstanceKey })
          .returning('*')) as PermitRow[];
        if (attached) await appendAudit(trx, audit);
        if (commandId !== undefined) await markCommandDelivered(trx, commandId);
        const row = attached ?? ((await trx<PermitRow>(TABLES.permits).where({ id: permitId }).first()) as PermitRow | undefined);
        if (!row) throw new Error(`Permit ${permitId} is gone; its lifecycle process ${processInstanceKey} cannot be linked to it.`);
        return toPermit(row);
      });
    },

    async editDraft({ permitId, changes, version, audit }) {
      return knex.transaction(async (trx) => {
        const columns: Partial<Record<keyof PermitRow, unknown>> = {};
        if (changes.title !== undefined) columns.title = changes.title;
        if (changes.purpose !== undefined) columns.purpose = changes.purpose;
        if (changes.validFrom !== undefined) columns.valid_from = changes.validFrom;
        if (changes.validUntil !== undefined) columns.valid_until = changes.validUntil;
        if (changes.deletionGracePeriod !== undefined) columns.deletion_grace_period = changes.deletionGracePeriod;
        const [row] = (await trx<PermitRow>(TABLES.permits)
          .where({ id: permitId, status: 'DRAFT', version })
          .update({ ...columns, version: trx.raw('version + 1'), updated_at: trx.fn.now() } as never)
          .returning('*')) as PermitRow[];
        if (!row) return undefined;
        await appendAudit(trx, audit);
        await enqueueEvent(trx, { name: EVENTS.draftEdited, permitId, payload: { changed: Object.keys(changes), version: row.version, editedBy: audit.actor } });
        return toPermit(row);
      });
    },

    async deleteDraft(permitId) {
      await knex.transaction(async (trx) => {
        const deleted = await trx<PermitRow>(TABLES.permits).where({ id: permitId, status: 'DRAFT' }).delete();
        if (deleted > 0) await trx(ENGINE_COMMANDS_TABLE).where({ permit_id: permitId, kind: 'process-start', status: 'pending' }).delete();
      });
    },

    async list({ memberId, status, q, limit, offset }) {
      const base = knex<PermitRow>(TABLES.permits).modify((query) => {
        if (memberId !== undefined) {
          query.whereIn('id', knex(TABLES.permitMembers).where({ user_id: memberId }).select('permit_id'));
        }
        if (status !== undefined) query.where({ status });
        if (q !== undefined && q !== '') {
          const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query.where((w) => {
            w.whereILike('title', pattern).orWhereILike('purpose', pattern);
          });
        }
      });
      const [countRow] = await base.clone().count<{ count: string | number }[]>({ count: '*' });
      const rows = await base.clone().orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).offset(offset);
      return { items: rows.map(toPermit), total: Number(countRow?.count ?? 0) };
    },

    async history(permitId) {
      const rows = await knex<StatusHistoryRow>(TABLES.permitStatusHistory).where({ permit_id: permitId }).orderBy('id', 'asc');
      return rows.map(toStatusHistoryEntry);
    },

    async members(permitId) {
      const rows = await knex<MemberRow>(TABLES.permitMembers).where({ permit_id: permitId }).orderBy([{ column: 'added_at' }, { column: 'user_id' }, { column: 'team_role' }]);
      return rows.map(toMember);
    },

    async audit(entry) {
      await knex.transaction(async (trx) => {
        await appendAudit(trx, entry);
      });
    },

    async runOnce({ permitId, intentKey, audit, command: intent }, deliver) {
      const recorded = await knex.transaction(async (trx) => {
        // Concurrent intents on one permit queue here, so the second sees the first's audit entry.
        const row = (await trx<PermitRow>(TABLES.permits).where({ id: permitId }).forUpdate().first('version')) as Pick<PermitRow, 'version'> | undefined;
        if (!row) return 'missing' as const;
        const key = intentKey(row.version);
        if ((await trx(TABLES.auditLog).where({ idempotency_key: key }).first('seq')) !== undefined) return 'duplicate' as const;
        if ((await pendingCommandsOf(trx, permitId)).length > 0) return 'busy' as const;
        await appendAudit(trx, { ...audit, idempotencyKey: key });
        const command: EngineCommand = { messageId: key, permitId, ...intent };
        await recordEngineCommand(trx, command);
        return command;
      });
      if (typeof recorded === 'string') return { outcome: recorded };
      const delivery = await settleEngineCommand(knex, recorded, deliver);
      return delivery.outcome === 'delivered' ? { outcome: 'delivered', command: recorded } : { outcome: 'pending', command: recorded, error: delivery.error };
    },
  };
}
