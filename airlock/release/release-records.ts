/**
 * The release's records (the port): what a release reads from the Permit Manager's database (the permit, its team,
 * the request with its checked files, the reviewers' decisions, the deliveries in the airlock) and where it records
 * itself (`egress_releases`, with an audit entry, once). `createKnexReleaseRecords` (knex-release-records.ts)
 * implements it.
 */
import type { DisclosureCheckResult } from '../disclosure/disclosure-result.js';
import type { ReleaseDescription, ReleaseReview } from './release-description.js';

/** The bytes of a release's metadata files, as written into the released zone (and kept in the record). */
export interface StoredReleaseMetadata {
  crate: string;
  manifest: string;
  checks: string;
}

export interface StoredRelease extends StoredReleaseMetadata {
  egressRequestId: string;
  permitId: string;
  releasedAt: string;
  files: { path: string; sha256: string; sizeBytes: number; mediaType: string }[];
}

export interface ReleaseFacts {
  permit: ReleaseDescription['permit'];
  request: { title: string; submittedBy: string | null; createdAt: string; updatedAt: string; files: { path: string; description?: string; supporting?: boolean }[] };
  team: ReleaseDescription['team'];
  deliveries: ReleaseDescription['deliveries'];
  reviews: ReleaseReview[];
  checks: Map<string, { sha256: string; result: DisclosureCheckResult }>;
}

export interface ReleaseRecords {
  findRelease(permitId: string, egressRequestId: string): Promise<StoredRelease | undefined>;
  releaseFacts(permitId: string, egressRequestId: string): Promise<ReleaseFacts>;
  /** Inserts the release once (a repeat returns the first) with its audit entry. */
  recordRelease(release: StoredRelease): Promise<StoredRelease>;
}
