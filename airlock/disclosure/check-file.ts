/**
 * The disclosure checks on one output file: tables (.csv, .tsv) are read from the stream in bounded memory and
 * checked; any other file, or a table the checks cannot read, gets a `custom` result with status `review` that
 * says why (checks advise; a person reviews what they cannot read).
 */
import { DEFAULT_DISCLOSURE_THRESHOLDS, TABLE_LIMITS, type TableLimits } from './disclosure-thresholds.js';
import { DISCLOSURE_RULES, type DisclosureCheckResult, type DisclosureRule } from './disclosure-result.js';
import { checkTable, type CheckContext } from './check-table.js';
import { readTable, tableFormatOf } from './read-table.js';

export function notCheckedResult(context: CheckContext, reason: string): DisclosureCheckResult {
  const zero = Object.fromEntries(DISCLOSURE_RULES.map((rule) => [rule, 0])) as Record<DisclosureRule, number>;
  const none = Object.fromEntries(DISCLOSURE_RULES.map((rule) => [rule, []])) as unknown as Record<DisclosureRule, [number, number][]>;
  return {
    schema: 'spe-disclosure-check/1',
    path: context.path,
    ...(context.sha256 !== undefined ? { sha256: context.sha256 } : {}),
    ...(context.size !== undefined ? { size: context.size } : {}),
    type: 'custom',
    status: 'review',
    properties: { method: 'not-checked', rows: 0, columns: 0, labelColumns: [], totalRows: 0, totalColumns: 0 },
    thresholds: context.thresholds ?? DEFAULT_DISCLOSURE_THRESHOLDS,
    sdc: { summary: { suppressed: false, ...zero }, cells: none },
    summary: `review: not checked automatically: ${reason}. Review it by eye.`,
    findings: [],
    findingsOmitted: 0,
    checkedAt: (context.now ?? (() => new Date()))().toISOString(),
  };
}

export function isTabularPath(path: string): boolean {
  return tableFormatOf(path) !== undefined;
}

export async function checkFile(source: AsyncIterable<Buffer | string>, context: CheckContext, limits: TableLimits = TABLE_LIMITS): Promise<DisclosureCheckResult> {
  const format = tableFormatOf(context.path);
  if (!format) return notCheckedResult(context, 'it is not a table (the checks read .csv and .tsv files)');
  const read = await readTable(source, format, limits);
  if (!read.ok) return notCheckedResult(context, read.reason);
  return checkTable(read.table, context);
}
