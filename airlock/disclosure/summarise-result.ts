/** The disclosure result in words, ACRO's way ("fail; threshold: 2 cells may need suppressing; "), made readable. */
import type { DisclosureCheckResult, DisclosureRule } from './disclosure-result.js';

const WORDS: Record<DisclosureRule, (n: number, r: DisclosureCheckResult) => string> = {
  threshold: (n, r) => `${n} ${cells(n)} below the minimum count of ${r.thresholds.minCellCount}`,
  'nk-rule': (n, r) => `${n} ${cells(n)} where the ${r.thresholds.dominanceN} largest contributors make up more than ${r.thresholds.dominanceK} %`,
  'p-ratio': (n, r) => `${n} ${cells(n)} failing the p-ratio rule (p = ${r.thresholds.pRatio} %)`,
  negative: (n) => `${n} negative ${n === 1 ? 'value' : 'values'}`,
  differencing: (n) => `${n} suppressed ${cells(n)} that a total gives away by subtraction`,
  missing: (n) => `${n} empty ${cells(n)}`,
};

function cells(n: number): string {
  return n === 1 ? 'cell' : 'cells';
}

export function summariseResult(result: DisclosureCheckResult): string {
  const parts = (Object.keys(WORDS) as DisclosureRule[]).filter((rule) => result.sdc.summary[rule] > 0).map((rule) => WORDS[rule](result.sdc.summary[rule], result));
  const what = result.properties.method === 'not-checked' ? 'no value columns to check' : `${result.properties.rows} rows × ${result.properties.columns} columns, ${result.properties.method} table`;
  if (result.status === 'pass') return `pass: ${what}; no cell breaks a rule.`;
  return `${result.status}: ${what}; ${parts.length > 0 ? parts.join('; ') : 'review by eye'}.`;
}
