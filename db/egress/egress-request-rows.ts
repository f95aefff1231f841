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
  required_reviews: number;
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
  requiredReviews: number;
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
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}
