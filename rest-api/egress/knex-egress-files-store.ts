/**
 * The egress files store on knex: the tables of migration 0013 (egress_file_checks, permit_disclosure_thresholds,
 * egress_releases), the audit chain for thresholds and downloads, and the data-deletion audit entry. Plain objects out.
 */
import type { Knex } from 'knex';
import { appendAudit, TABLES, toIso } from '../../db/index.js';
import { createKnexOutputsTokenStore } from '../../airlock/outputs-token/knex-outputs-token-store.js';
import { DEFAULT_DISCLOSURE_THRESHOLDS, DisclosureThresholdsSchema } from '../../airlock/disclosure/disclosure-thresholds.js';
import type { DisclosureCheckResult } from '../../airlock/disclosure/disclosure-result.js';
import { DATA_DELETED_AUDIT_ACTION, EGRESS_FILE_TABLES, type EgressFileCheck, type EgressFilesStore, type EgressRelease, type ReleasedFileRecord } from './egress-files-store.js';

interface FileCheckRow {
  egress_request_id: string;
  permit_id: string;
  path: string;
  sha256: string;
  size_bytes: string | number;
  media_type: string;
  status: DisclosureCheckResult['status'];
  result: DisclosureCheckResult;
  checked_at: Date | string;
}

interface ReleaseRow {
  egress_request_id: string;
  permit_id: string;
  released_at: Date | string;
  files: ReleasedFileRecord[];
  crate: string;
  manifest: string;
  checks: string;
}


export const toFileCheck = (row: FileCheckRow): EgressFileCheck => ({
  path: row.path,
  sha256: row.sha256,
  sizeBytes: Number(row.size_bytes),
  mediaType: row.media_type,
  status: row.status,
  result: row.result,
  checkedAt: toIso(row.checked_at),
});

export const toRelease = (row: ReleaseRow): EgressRelease => ({
  egressRequestId: row.egress_request_id,
  permitId: row.permit_id,
  releasedAt: toIso(row.released_at),
  files: row.files,
  crate: row.crate,
  manifest: row.manifest,
  checks: row.checks,
});

/** Replaces the request's file checks (a resubmission checks again) inside the caller's transaction. */
export async function writeFileChecks(trx: Knex, permitId: string, requestId: string, checks: readonly EgressFileCheck[]): Promise<void> {
  await trx(EGRESS_FILE_TABLES.fileChecks).where({ egress_request_id: requestId }).delete();
  if (checks.length === 0) return;
  await trx(EGRESS_FILE_TABLES.fileChecks).insert(
    checks.map((c) => ({
      egress_request_id: requestId,
      permit_id: permitId,
      path: c.path,
      sha256: c.sha256,
      size_bytes: c.sizeBytes,
      media_type: c.mediaType,
      status: c.status,
      result: JSON.stringify(c.result),
      checked_at: c.checkedAt,
    })),
  );
}

export function createKnexEgressFilesStore(knex: Knex): EgressFilesStore {
  const outputsTokens = createKnexOutputsTokenStore(knex);
  return {
    verifyOutputsToken: (token) => outputsTokens.verify(token),
    async fileChecks(requestId) {
      const rows = (await knex(EGRESS_FILE_TABLES.fileChecks).where({ egress_request_id: requestId }).orderBy('path')) as FileCheckRow[];
      return rows.map(toFileCheck);
    },
    async thresholds(permitId) {
      const row = (await knex(EGRESS_FILE_TABLES.thresholds).where({ permit_id: permitId }).first()) as { thresholds: unknown; set_by: string; set_at: Date | string } | undefined;
      if (!row) return { thresholds: DEFAULT_DISCLOSURE_THRESHOLDS, setBy: null, setAt: null };
      return { thresholds: DisclosureThresholdsSchema.parse(row.thresholds), setBy: row.set_by, setAt: toIso(row.set_at) };
    },
    async setThresholds(permitId, thresholds, actor) {
      await knex.transaction(async (trx) => {
        await trx(EGRESS_FILE_TABLES.thresholds)
          .insert({ permit_id: permitId, thresholds: JSON.stringify(thresholds), set_by: actor, set_at: trx.fn.now() })
          .onConflict('permit_id')
          .merge();
        await appendAudit(trx, { actor, action: 'egress.disclosure-thresholds-set', permitId, details: { thresholds } });
      });
    },
    async releases(permitId) {
      const rows = (await knex(EGRESS_FILE_TABLES.releases).where({ permit_id: permitId }).orderBy('released_at')) as ReleaseRow[];
      return rows.map(toRelease);
    },
    async release(permitId, requestId) {
      const row = (await knex(EGRESS_FILE_TABLES.releases).where({ permit_id: permitId, egress_request_id: requestId }).first()) as ReleaseRow | undefined;
      return row ? toRelease(row) : undefined;
    },
    async dataDeletion(permitId) {
      const row = (await knex(TABLES.auditLog).where({ permit_id: permitId, action: DATA_DELETED_AUDIT_ACTION }).orderBy('seq', 'desc').first('seq', 'occurred_at', 'details')) as
        | { seq: string | number; occurred_at: Date | string; details: { deletedAt?: unknown; hash?: unknown } | string }
        | undefined;
      if (!row) return undefined;
      const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as { deletedAt?: unknown; hash?: unknown };
      return {
        deletedAt: typeof details.deletedAt === 'string' ? details.deletedAt : toIso(row.occurred_at),
        proofOfDeletion: typeof details.hash === 'string' ? details.hash : '',
        auditSeq: Number(row.seq),
      };
    },
    async auditDownload(entry) {
      await appendAudit(knex, { actor: entry.actor, action: 'egress.release-downloaded', permitId: entry.permitId, details: { egressRequestId: entry.egressRequestId, path: entry.path, sha256: entry.sha256 } });
    },
  };
}
