/**
 * The egress files feature's store (the port): each file of a submitted output request with its disclosure-check
 * result, the permit's disclosure thresholds, the releases, the permit's data deletion at closure and the
 * outputs-sync token check. `createKnexEgressFilesStore` (knex-egress-files-store.ts) implements it on the tables
 * of migration 0013; the types live here, beside the port that owns those tables.
 */
import type { DisclosureCheckResult } from '../../airlock/disclosure/disclosure-result.js';
import type { OutputsTokenGrant } from '../../airlock/outputs-token/outputs-token-store.js';
import type { DisclosureThresholds } from '../../airlock/disclosure/disclosure-thresholds.js';

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
