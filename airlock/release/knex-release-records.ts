/**
 * The release's records on knex: reads the permit, team, request, file checks, review decisions and airlock
 * deliveries; records the release in `egress_releases` with its audit entry, once.
 */
import type { Knex } from 'knex';
import { appendAudit, TABLES } from '../../db/index.js';
import type { DisclosureCheckResult } from '../disclosure/disclosure-result.js';
import type { ReleaseFacts, ReleaseRecords, StoredRelease } from './release-records.js';

const iso = (value: Date | string | null | undefined): string => (value instanceof Date ? value.toISOString() : value ? new Date(value).toISOString() : '');

export function createKnexReleaseRecords(knex: Knex): ReleaseRecords {
  const toStored = (row: Record<string, unknown>): StoredRelease => ({
    egressRequestId: row.egress_request_id as string,
    permitId: row.permit_id as string,
    releasedAt: iso(row.released_at as Date),
    files: row.files as StoredRelease['files'],
    crate: row.crate as string,
    manifest: row.manifest as string,
    checks: row.checks as string,
  });
  async function findRelease(permitId: string, egressRequestId: string) {
    const row = (await knex('egress_releases').where({ permit_id: permitId, egress_request_id: egressRequestId }).first()) as Record<string, unknown> | undefined;
    return row ? toStored(row) : undefined;
  }
  return {
    findRelease,
    async releaseFacts(permitId, egressRequestId) {
      const permit = (await knex(TABLES.permits).where({ id: permitId }).first()) as Record<string, unknown> | undefined;
      const request = (await knex(TABLES.egressRequests).where({ id: egressRequestId, permit_id: permitId }).first()) as Record<string, unknown> | undefined;
      if (!permit || !request) throw new Error(`permit ${permitId} has no output request ${egressRequestId}`);
      const members = (await knex(TABLES.permitMembers).where({ permit_id: permitId }).orderBy(['team_role', 'user_id'])) as { user_id: string; team_role: string }[];
      const names = new Map(((await knex(TABLES.userDirectory).select('user_id', 'display_name')) as { user_id: string; display_name: string }[]).map((u) => [u.user_id, u.display_name]));
      const reviews = (await knex(TABLES.reviewDecisions).where({ egress_request_id: egressRequestId }).orderBy(['decided_at', 'id'])) as Record<string, unknown>[];
      const checks = (await knex('egress_file_checks').where({ egress_request_id: egressRequestId })) as { path: string; sha256: string; result: DisclosureCheckResult }[];
      const deliveries = (await knex('airlock_objects')
        .where({ permit_id: permitId })
        .whereIn('zone', ['raw', 'prepared'])
        .whereNotNull('delivery_id')
        .groupBy('delivery_id')
        .select('delivery_id', knex.raw('count(distinct path) as files'), knex.raw('min(put_at) as received_at'))) as { delivery_id: string; files: string | number; received_at: Date | string }[];
      return {
        permit: { id: permitId, title: permit.title as string, purpose: permit.purpose as string, validUntil: permit.valid_until ? iso(permit.valid_until as Date) : null },
        request: {
          title: request.title as string,
          submittedBy: (request.submitted_by as string | null) ?? null,
          createdAt: iso(request.created_at as Date),
          updatedAt: iso(request.updated_at as Date),
          files: request.files as ReleaseFacts['request']['files'],
        },
        team: members.filter((m) => m.team_role !== 'DATA_HOLDER').map((m) => ({ userId: m.user_id, name: names.get(m.user_id), teamRole: m.team_role })),
        deliveries: deliveries.map((d) => ({ id: d.delivery_id, files: Number(d.files), receivedAt: iso(d.received_at) })),
        reviews: reviews.map((r) => ({
          reviewer: r.reviewer as string,
          reviewerName: names.get(r.reviewer as string),
          decision: r.decision as string,
          comment: (r.comment as string | null) ?? null,
          checks: Array.isArray(r.checklist) ? (r.checklist as string[]) : undefined,
          decidedAt: iso(r.decided_at as Date),
        })),
        checks: new Map(checks.map((c) => [c.path, { sha256: c.sha256, result: c.result }])),
      };
    },
    async recordRelease(release) {
      return knex.transaction(async (trx) => {
        const inserted = (await trx('egress_releases')
          .insert({
            egress_request_id: release.egressRequestId,
            permit_id: release.permitId,
            released_at: release.releasedAt,
            files: JSON.stringify(release.files),
            crate: release.crate,
            manifest: release.manifest,
            checks: release.checks,
          })
          .onConflict('egress_request_id')
          .ignore()
          .returning('egress_request_id')) as unknown[];
        if (inserted.length > 0) {
          await appendAudit(trx, {
            actor: 'system:workspace.release-outputs',
            action: 'egress.released',
            permitId: release.permitId,
            details: { egressRequestId: release.egressRequestId, files: release.files.map((f) => ({ path: f.path, sha256: f.sha256 })) },
            idempotencyKey: `egress.released:${release.egressRequestId}`,
          });
        }
        const row = (await trx('egress_releases').where({ egress_request_id: release.egressRequestId }).first()) as Record<string, unknown>;
        return toStored(row);
      });
    },
  };
}
