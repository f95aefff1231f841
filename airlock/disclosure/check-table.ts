/**
 * The disclosure checks on one table: pure, on a table already read (read-table.ts) and modelled (table-model.ts).
 * Rules (parameters from the permit's DisclosureThresholds):
 * - threshold: a count below minCellCount (0 only when zerosAreDisclosive); for magnitude and statistic columns
 *   the cell's number of contributors (`B_n`) below minCellCount.
 * - nk-rule: the N largest contributions make up more than k % of a magnitude cell.
 * - p-ratio: total minus the two largest contributions is less than p % of the largest (the second largest
 *   contributor could estimate the largest within p %).
 * - negative: a negative count (a frequency cannot be negative) or contribution (dominance cannot be judged).
 * - differencing: a total row or column shows its total while exactly one cell it adds up is suppressed, so the
 *   suppressed cell is the total minus the others.
 * - missing: an empty or NA cell (asks for review: is it a suppression, and is it marked as one?).
 * Checks advise, reviewers decide: `fail` means a reviewer should look at the flagged cells before approving.
 */
import { DEFAULT_DISCLOSURE_THRESHOLDS, type DisclosureThresholds } from './disclosure-thresholds.js';
import { DISCLOSURE_RULES, FAILING_RULES, type DisclosureCheckResult, type DisclosureFinding, type DisclosureRule } from './disclosure-result.js';
import type { RawTable } from './read-table.js';
import { modelTable, rowLabel, type CellValue, type TableModel } from './table-model.js';
import { summariseResult } from './summarise-result.js';

const MAX_FINDINGS = 100;

export interface CheckContext {
  path: string;
  sha256?: string;
  size?: number;
  thresholds?: DisclosureThresholds;
  now?: () => Date;
}

function emptyCells(): Record<DisclosureRule, [number, number][]> {
  return Object.fromEntries(DISCLOSURE_RULES.map((rule) => [rule, []])) as unknown as Record<DisclosureRule, [number, number][]>;
}

const numberAt = (model: TableModel, row: number, column: number): number | undefined => {
  const cell = model.cells[row]?.[column];
  return cell?.kind === 'number' ? cell.value : undefined;
};

const show = (cell: CellValue | undefined): string =>
  cell === undefined ? '' : cell.kind === 'number' ? String(cell.value) : cell.kind === 'missing' ? '(empty)' : cell.text;

export function checkTable(table: RawTable, context: CheckContext): DisclosureCheckResult {
  const t = context.thresholds ?? DEFAULT_DISCLOSURE_THRESHOLDS;
  const model = modelTable(table);
  const cells = emptyCells();
  const findings: DisclosureFinding[] = [];
  let findingsOmitted = 0;
  const flagged = new Set<string>();
  const flag = (rule: DisclosureRule, row: number, column: number, message: string): void => {
    const key = `${rule}:${row}:${column}`;
    if (flagged.has(key)) return;
    flagged.add(key);
    cells[rule].push([row, column]);
    if (findings.length >= MAX_FINDINGS) {
      findingsOmitted += 1;
      return;
    }
    findings.push({ rule, row, column, rowLabel: rowLabel(table, model, row), columnLabel: model.header[column] ?? `column ${column + 1}`, value: show(model.cells[row]?.[column]), message });
  };

  let suppressed = false;
  model.cells.forEach((row, r) => {
    model.columns.forEach((column, c) => {
      if (column.role === 'label') return;
      const cell = row[c];
      if (cell?.kind === 'suppressed') suppressed = true;
      if (cell?.kind === 'missing') flag('missing', r, c, 'empty or NA: if it is suppressed, mark it (e.g. "c") so readers know');
      if (column.role === 'auxiliary') {
        const value = numberAt(model, r, c);
        if (value !== undefined && value < 0) flag('negative', r, c, 'a negative contribution: dominance cannot be judged');
        return;
      }
      const value = numberAt(model, r, c);
      if (column.role === 'frequency' && value !== undefined) {
        if (value < 0) flag('negative', r, c, 'a negative count');
        else if (value < t.minCellCount && (value > 0 || t.zerosAreDisclosive)) flag('threshold', r, c, `count ${value} is below the minimum of ${t.minCellCount}`);
        return;
      }
      if (column.role === 'magnitude' || column.role === 'statistic') {
        if (column.count !== undefined) {
          const n = numberAt(model, r, column.count);
          if (n !== undefined && n < t.minCellCount && (n > 0 || t.zerosAreDisclosive)) flag('threshold', r, c, `${n} contributors, below the minimum of ${t.minCellCount}`);
        }
      }
      if (column.role === 'magnitude' && value !== undefined) {
        const tops = column.top.map((i) => numberAt(model, r, i) ?? 0).sort((a, b) => b - a);
        if (value <= 0 || tops.some((x) => x < 0)) return;
        const n = Math.min(t.dominanceN, tops.length);
        const largest = tops.slice(0, n).reduce((a, b) => a + b, 0);
        const share = (100 * largest) / value;
        if (share > t.dominanceK) flag('nk-rule', r, c, `the ${n} largest contributors make up ${share.toFixed(1)} % of ${value} (more than ${t.dominanceK} %)`);
        const [first = 0, second = 0] = tops;
        const rest = value - first - second;
        if (first > 0 && rest < (t.pRatio / 100) * first) flag('p-ratio', r, c, `the rest after the two largest (${rest}) is less than ${t.pRatio} % of the largest (${first})`);
      }
    });
  });
  checkDifferencing(model, flag);

  const summaryCounts = Object.fromEntries(DISCLOSURE_RULES.map((rule) => [rule, cells[rule].length])) as Record<DisclosureRule, number>;
  const failing = DISCLOSURE_RULES.some((rule) => FAILING_RULES.has(rule) && summaryCounts[rule] > 0);
  const roles = new Set(model.columns.map((c) => c.role));
  const method = roles.has('magnitude') ? (roles.has('frequency') ? 'mixed' : 'magnitude') : roles.has('frequency') ? 'frequency' : roles.has('statistic') ? 'mixed' : 'not-checked';
  const status = failing ? 'fail' : summaryCounts.missing > 0 || method === 'not-checked' ? 'review' : 'pass';
  const result: DisclosureCheckResult = {
    schema: 'spe-disclosure-check/1',
    path: context.path,
    ...(context.sha256 !== undefined ? { sha256: context.sha256 } : {}),
    ...(context.size !== undefined ? { size: context.size } : {}),
    type: 'table',
    status,
    properties: {
      method,
      rows: table.rows.length,
      columns: table.header.length,
      labelColumns: model.header.filter((_, i) => model.columns[i]?.role === 'label'),
      totalRows: model.totalRows.filter((x) => x !== undefined).length,
      totalColumns: model.columns.filter((c) => 'total' in c && c.total).length,
    },
    thresholds: t,
    sdc: { summary: { suppressed, ...summaryCounts }, cells },
    summary: '',
    findings,
    findingsOmitted,
    checkedAt: (context.now ?? (() => new Date()))().toISOString(),
  };
  result.summary = summariseResult(result);
  return result;
}

/** A total whose parts show all but one suppressed cell gives that cell away by subtraction. */
function checkDifferencing(model: TableModel, flag: (rule: DisclosureRule, row: number, column: number, message: string) => void): void {
  const isPart = (c: number): boolean => {
    const column = model.columns[c];
    return (column?.role === 'frequency' || column?.role === 'magnitude') && !column.total;
  };
  const suppressedAt = (r: number, c: number): boolean => model.cells[r]?.[c]?.kind === 'suppressed';
  // Along rows: each total column adds up the part columns of its row.
  model.columns.forEach((column, totalColumn) => {
    if (!('total' in column) || !column.total) return;
    model.cells.forEach((_, r) => {
      if (numberAt(model, r, totalColumn) === undefined) return;
      const hidden = model.columns.flatMap((_, c) => (isPart(c) && suppressedAt(r, c) ? [c] : []));
      if (hidden.length === 1) flag('differencing', r, hidden[0] as number, `the only suppressed cell of its row: "${model.header[totalColumn]}" minus the other cells gives it away; suppress a second cell too`);
    });
  });
  // Down columns: each total row adds up the rows that share its other labels.
  model.totalRows.forEach((labelColumn, totalRow) => {
    if (labelColumn === undefined) return;
    const labelColumns = model.columns.flatMap((c, i) => (c.role === 'label' && i !== labelColumn ? [i] : []));
    const sameGroup = (r: number): boolean =>
      r !== totalRow && model.totalRows[r] === undefined && labelColumns.every((i) => show(model.cells[r]?.[i]) === show(model.cells[totalRow]?.[i]));
    model.columns.forEach((column, c) => {
      if ((column.role !== 'frequency' && column.role !== 'magnitude') || numberAt(model, totalRow, c) === undefined) return;
      const hidden = model.cells.flatMap((_, r) => (sameGroup(r) && suppressedAt(r, c) ? [r] : []));
      if (hidden.length === 1) flag('differencing', hidden[0] as number, c, `the only suppressed cell of its column: the total row minus the other rows gives it away; suppress a second cell too`);
    });
  });
}
