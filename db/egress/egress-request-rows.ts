/**
 * The rows of `egress_requests` (output requests), beside `transitionEgressRequest`, which holds their status rule.
 */
import type { EgressStatus } from '../../shared/index.js';
import { toIso, type TimestampValue } from '../columns.js';

export interface EgressFile {
  path: string;
  description?: string;
}

export interface EgressRequestRow {
  id: string;
  permit_id: string;
  status: EgressStatus;
  title: string;
  files: EgressFile[];
  disclosure_checks: unknown;
  /** Null until the HDAB's output release policy decides it, when the request is submitted (issue 19). */
  required_reviews: number | null;
  required_reviews_reason: string | null;
  created_by: string;
  submitted_by: string | null;
  created_at: TimestampValue;
  updated_at: TimestampValue;
  version: number;
}

export interface EgressRequest {
  id: string;
  permitId: string;
  status: EgressStatus;
  title: string;
  files: EgressFile[];
  disclosureChecks: unknown;
  /** Independent reviews the HDAB's output release policy requires; null until it decides, at submission. */
  requiredReviews: number | null;
  /** The policy's reason for `requiredReviews`. */
  requiredReviewsReason: string | null;
  createdBy: string;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toEgressRequest(row: EgressRequestRow): EgressRequest {
  return {
    id: row.id,
    permitId: row.permit_id,
    status: row.status,
    title: row.title,
    files: row.files,
    disclosureChecks: row.disclosure_checks ?? null,
    requiredReviews: row.required_reviews,
    requiredReviewsReason: row.required_reviews_reason ?? null,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}
