/** What a release's RO-Crate describes: the Five Safes of one approved output request, as plain data. */
import type { DisclosureCheckResult } from '../disclosure/disclosure-result.js';

export interface ReleasedFile {
  /** Path inside the release folder (the path it had under /outputs). */
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  description?: string | undefined;
  /** The automated disclosure checks' result on this file, when it was checked. */
  check?: DisclosureCheckResult | undefined;
}

export interface ReleaseReview {
  reviewer: string;
  reviewerName?: string | undefined;
  decision: string;
  comment?: string | null | undefined;
  /** The checks the reviewer confirmed (egress-review.form's checklist). */
  checks?: readonly string[] | undefined;
  decidedAt: string;
}

export interface ReleaseDescription {
  /** The platform's public base URL: identifiers of the permit and people are made under it. */
  baseUrl: string;
  platform: { name: string; version: string };
  permit: { id: string; title: string; purpose: string; validUntil?: string | null | undefined };
  request: { id: string; title: string; submittedBy: string | null; createdAt: string };
  /** Safe people: the research team (and the HDAB reviewers, named by the reviews). */
  team: readonly { userId: string; name?: string | undefined; teamRole: string }[];
  /** Safe data: the data holders' deliveries the workspace had. */
  deliveries: readonly { id: string; description?: string | undefined; receivedAt?: string | undefined; files?: number | undefined }[];
  /** Safe setting: the workspace the outputs were made in. */
  workspace: { name: string; description: string };
  files: readonly ReleasedFile[];
  reviews: readonly ReleaseReview[];
  /** When the final approval released the files (ISO 8601). */
  releasedAt: string;
}
