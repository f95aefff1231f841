/**
 * The machine-readable result of the disclosure checks on one file, kept with the output request and written into
 * the release's RO-Crate. Its shape follows ACRO's `results.json` where that fits, so output checkers who know
 * SACRO recognise it: `status` pass | fail | review, `type` table | custom, `properties.method`, and `sdc` with a
 * `summary` of counts per rule and the `cells` each rule flags as `[row, column]` pairs (0-based: row 0 is the first
 * row under the header, column 0 the first column of the file). `summary` says the same in words. `findings` adds,
 * for people, each flagged cell's labels and value (at most 100; `findingsOmitted` counts the rest).
 */
import type { DisclosureThresholds } from './disclosure-thresholds.js';

export const DISCLOSURE_RULES = ['threshold', 'nk-rule', 'p-ratio', 'negative', 'missing', 'differencing'] as const;
export type DisclosureRule = (typeof DISCLOSURE_RULES)[number];

/** The rules whose flagged cells fail a file; the others ask for review. */
export const FAILING_RULES: ReadonlySet<DisclosureRule> = new Set(['threshold', 'nk-rule', 'p-ratio', 'negative', 'differencing']);

export type DisclosureStatus = 'pass' | 'fail' | 'review';

export interface DisclosureFinding {
  rule: DisclosureRule;
  row: number;
  column: number;
  rowLabel: string;
  columnLabel: string;
  value: string;
  message: string;
}

export interface DisclosureCheckResult {
  schema: 'spe-disclosure-check/1';
  path: string;
  sha256?: string;
  size?: number;
  type: 'table' | 'custom';
  status: DisclosureStatus;
  properties: { method: 'frequency' | 'magnitude' | 'mixed' | 'not-checked'; rows: number; columns: number; labelColumns: string[]; totalRows: number; totalColumns: number };
  thresholds: DisclosureThresholds;
  sdc: {
    summary: { suppressed: boolean } & Record<DisclosureRule, number>;
    cells: Record<DisclosureRule, [number, number][]>;
  };
  summary: string;
  findings: DisclosureFinding[];
  findingsOmitted: number;
  checkedAt: string;
}
