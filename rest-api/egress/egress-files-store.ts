/**
 * Knex access to the egress tables of migration 0013 (types live here, beside the code that owns the tables):
 * each file of a submitted output request with its disclosure-check result, the permit's disclosure thresholds,
 * and the releases. Plain objects out.
 */
import type { Knex } from 'knex';
import { appendAudit, TABLES } from '../../db/index.js';
import type { DisclosureCheckResult } from '../../airlock/disclosure/disclosure-result.js';
import { createKnexOutputsTokenStore } from '../../airlock/outputs-token/knex-outputs-token-store.js';
import type { OutputsTokenGrant } from '../../airlock/outputs-token/outputs-token-store.js';
import { DEFAULT_DISCLOSURE_THRESHOLDS, DisclosureThresholdsSchema, type DisclosureThresholds } from '../../airlock/disclosure/disclosure-thresholds.js';

/** The audit action of workspace.delete-data's proof of deletion (DELETION_AUDIT_ACTION in job-workers/workspace/store/workspace-store.ts). */
export const DATA_DELETED_AUDIT_ACTION = 'workspace.data.deleted';

/** That the permit's data (every airlock zone with it) was deleted at closure: when, and the proof of deletion. */
export interface PermitDataDeletion {
  /** ISO 8601, from the proof of deletion. */
  deletedAt: string;
  /** The proof of deletion's seal (`sha256:<hex>`); anyone can recompute it from the certificate. */
  proofOfDeletion: string;
  /** The audit entry that holds the certificate (its `seq` in the audit chain). */
  auditSeq: number;
}

export const EGRESS_FILE_TABLES = { fileChecks: 'egress_file_checks', thresholds: 'permit_disclosure_thresholds', releases: 'egress_releases' } as const;

/** One file of an output request as submitted: what the checks and reviewers saw. */
export interface EgressFileCheck {
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  status: DisclosureCheckResult['status'];
  result: DisclosureCheckResult;
  checkedAt: string;
}

export interface ReleasedFileRecord {
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
}

export interface EgressRelease {
  egressRequestId: string;
  permitId: string;
  releasedAt: string;
  files: ReleasedFileRecord[];
  crate: string;
  manifest: string;
  checks: string;
}

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

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

export const toFileCheck = (row: FileCheckRow): EgressFileCheck => ({
  path: row.path,
  sha256: row.sha256,
  sizeBytes: Number(row.size_bytes),
  mediaType: row.media_type,
  status: row.status,
  result: row.result,
  checkedAt: iso(row.checked_at),
});

export const toRelease = (row: ReleaseRow): EgressRelease => ({
  egressRequestId: row.egress_request_id,
  permitId: row.permit_id,
  releasedAt: iso(row.released_at),
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

export interface EgressFilesStore {
  fileChecks(requestId: string): Promise<EgressFileCheck[]>;
  thresholds(permitId: string): Promise<{ thresholds: DisclosureThresholds; setBy: string | null; setAt: string | null }>;
  setThresholds(permitId: string, thresholds: DisclosureThresholds, actor: string): Promise<void>;
  releases(permitId: string): Promise<EgressRelease[]>;
  release(permitId: string, requestId: string): Promise<EgressRelease | undefined>;
  /** The permit's data deletion at closure, from its audit entry; undefined while the data is kept. */
  dataDeletion(permitId: string): Promise<PermitDataDeletion | undefined>;
  /** The grant of a live outputs-sync token (airlock/outputs-token/); undefined for any other value. */
  verifyOutputsToken(token: string): Promise<OutputsTokenGrant | undefined>;
  /** The audit entry of a download (audit chain); written before any byte is sent. */
  auditDownload(entry: { actor: string; permitId: string; egressRequestId: string; path: string; sha256: string }): Promise<void>;
}

export function createEgressFilesStore(knex: Knex): EgressFilesStore {
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
      return { thresholds: DisclosureThresholdsSchema.parse(row.thresholds), setBy: row.set_by, setAt: iso(row.set_at) };
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
        deletedAt: typeof details.deletedAt === 'string' ? details.deletedAt : iso(row.occurred_at),
        proofOfDeletion: typeof details.hash === 'string' ? details.hash : '',
        auditSeq: Number(row.seq),
      };
    },
    async auditDownload(entry) {
      await appendAudit(knex, { actor: entry.actor, action: 'egress.release-downloaded', permitId: entry.permitId, details: { egressRequestId: entry.egressRequestId, path: entry.path, sha256: entry.sha256 } });
    },
  };
}
