/**
 * The rules' parameters, per permit: what the HDAB sets for a permit (or the defaults below). Percentages are
 * given as numbers from 0 to 100, as ACRO takes them.
 */
import { z } from 'zod';

export const DisclosureThresholdsSchema = z
  .strictObject({
    minCellCount: z.number().int().min(1).max(1000).describe('Threshold rule: a count (or a cell\'s number of contributors) below this fails'),
    dominanceN: z.number().int().min(1).max(5).describe('N of the N-k dominance rule: how many largest contributors are added up'),
    dominanceK: z.number().min(1).max(100).describe('k of the N-k dominance rule, in %: the N largest contributors may make up at most this share of a cell'),
    pRatio: z.number().min(0).max(100).describe('p of the p% rule, in %: the rest (total minus the two largest) must be at least p % of the largest'),
    zerosAreDisclosive: z.boolean().describe('Whether a count of 0 fails the threshold rule (off: a zero is a structural empty category)'),
  })
  .meta({ id: 'DisclosureThresholds' });

export type DisclosureThresholds = z.infer<typeof DisclosureThresholdsSchema>;

/** Minimum cell count 10, dominance N=2 k=85 %, p-ratio 10 % (ACRO's default p), zeros allowed. */
export const DEFAULT_DISCLOSURE_THRESHOLDS: DisclosureThresholds = Object.freeze({
  minCellCount: 10,
  dominanceN: 2,
  dominanceK: 85,
  pRatio: 10,
  zerosAreDisclosive: false,
});

/** Bounds of the automated checks: a larger table is not checked (status review) and says so. */
export interface TableLimits {
  maxBytes: number;
  maxCells: number;
  maxColumns: number;
}
export const TABLE_LIMITS: TableLimits = Object.freeze({ maxBytes: 20 * 1024 * 1024, maxCells: 250_000, maxColumns: 500 });
