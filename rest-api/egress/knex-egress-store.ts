/** `EgressStore` on the Permit Manager's database (knex, plain objects out). */
import type { Knex } from 'knex';
import { ConflictError, PreconditionFailedError } from '../../shared/index.js';
import { TABLES, appendAudit, toEgressRequest, type EgressRequestRow, type PermitRow } from '../../db/index.js';
import { recordPermitCommand, settleEngineCommand } from '../permits/engine-command-relay.js';
import { writeFileChecks } from './knex-egress-files-store.js';
import type { EgressStore } from './egress-store.js';

export function createKnexEgressStore(knex: Knex): EgressStore {
  return {
    async create(request, idempotency) {
      return knex.transaction(async (trx) => {
        if (idempotency) {
          // Locks the key's row: a request that took the key over waits here for one still creating under it.
          const key = (await trx(TABLES.idempotencyKeys).where(idempotency).forUpdate().first('resource_id')) as { resource_id: string | null } | undefined;
          if (!key) throw new ConflictError('The Idempotency-Key of this request was released while it ran; send the request again with the same key.');
          if (key.resource_id) {
            const earlier = await trx<EgressRequestRow>(TABLES.egressRequests).where({ id: key.resource_id, permit_id: request.permitId }).first();
            if (earlier) return toEgressRequest(earlier);
          }
        }
        const [row] = (await trx<EgressRequestRow>(TABLES.egressRequests)
          .insert({
            id: request.id,
            permit_id: request.permitId,
            status: 'DRAFT',
            title: request.title,
            files: JSON.stringify(request.files) as never,
            disclosure_checks: request.disclosureChecks === undefined ? null : (JSON.stringify(request.disclosureChecks) as never),
            required_reviews: null,
            created_by: request.createdBy,
          })
          .returning('*')) as EgressRequestRow[];
        await appendAudit(trx, {
          actor: request.createdBy,
          action: 'egress.request-created',
          permitId: request.permitId,
          details: { egressRequestId: request.id, title: request.title, files: request.files.map((f) => f.path) },
        });
        if (idempotency) await trx(TABLES.idempotencyKeys).where(idempotency).update({ resource_id: request.id });
        return toEgressRequest(row as EgressRequestRow);
      });
    },

    async list(permitId) {
      const rows = await knex<EgressRequestRow>(TABLES.egressRequests).where({ permit_id: permitId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
      return rows.map(toEgressRequest);
    },

    async find(permitId, requestId) {
      const row = await knex<EgressRequestRow>(TABLES.egressRequests).where({ permit_id: permitId, id: requestId }).first();
      return row ? toEgressRequest(row) : undefined;
    },

    async submit(submission, deliver) {
      const request = await knex.transaction(async (trx) => {
        // The permit row first (as every engine command takes it): concurrent commands on one permit queue here.
        await trx<PermitRow>(TABLES.permits).where({ id: submission.permitId }).forUpdate().first('id');
        const [row] = (await trx<EgressRequestRow>(TABLES.egressRequests)
          .where({ id: submission.requestId, permit_id: submission.permitId, status: submission.from, version: submission.version })
          .update({ status: 'SUBMITTED', submitted_by: submission.actor, version: trx.raw('version + 1'), updated_at: trx.fn.now() } as never)
          .returning('*')) as EgressRequestRow[];
        if (!row) {
          const current = await trx<EgressRequestRow>(TABLES.egressRequests).where({ id: submission.requestId }).first();
          if (current && submission.expectedVersion !== undefined && current.version !== submission.expectedVersion) {
            throw new PreconditionFailedError(`Egress request ${submission.requestId} has changed: its current ETag is "${current.version}". Read it again and retry.`);
          }
          throw new ConflictError(`Egress request ${submission.requestId} was changed by someone else (it is ${current?.status ?? 'gone'} now); this submission changed nothing. Reload it.`, {
            permitId: submission.permitId,
            egressRequestId: submission.requestId,
          });
        }
        if (submission.fileChecks) await writeFileChecks(trx, submission.permitId, submission.requestId, submission.fileChecks);
        await recordPermitCommand(trx, submission.command, { what: 'this submission' });
        // The audit entry last: it holds the chain head until commit (db/audit/append-audit.ts).
        await appendAudit(trx, { actor: submission.actor, action: 'egress.request-submitted', permitId: submission.permitId, details: submission.auditDetails, idempotencyKey: submission.command.messageId });
        return toEgressRequest(row);
      });
      return { request, delivery: await settleEngineCommand(knex, submission.command, deliver) };
    },
  };
}
