/**
 * How the checks read a table (stated in docs/airlock.md):
 * - The first row is the header. The leading columns that hold text, or whose header names a category (year,
 *   age, month, ...), are label columns; every later column is a value column.
 * - A value cell is a number (`1234`, `1,234`, `-5`, `0.5`), suppressed (`*`, `c`, `[c]`, `x`, `[x]`, `<10`,
 *   `suppressed`, `redacted`), or missing (empty, `NA`, `NaN`, `null`, `n/a`).
 * - A value column `B` with companion columns `B_top1`, `B_top2`, ... (its largest contributions) is a magnitude
 *   column; `B_n`, when present, is its number of contributors. A column with only `B_n` is a statistic (a mean,
 *   a median) whose count is `B_n`. Any other value column is a frequency (count) column.
 * - A row whose label is Total, All, Overall or Sum, and a column with such a header, are totals.
 */
import type { RawTable } from './read-table.js';

export type CellValue = { kind: 'number'; value: number } | { kind: 'suppressed'; text: string } | { kind: 'missing' } | { kind: 'text'; text: string };

export type ColumnRole =
  | { role: 'label' }
  | { role: 'frequency'; total: boolean }
  | { role: 'magnitude'; count?: number; top: number[]; total: boolean }
  | { role: 'statistic'; count: number; total: boolean }
  | { role: 'auxiliary'; of: number };

export interface TableModel {
  header: string[];
  cells: CellValue[][];
  columns: ColumnRole[];
  /** Per row: whether it is a total row, and the index of the label column saying so. */
  totalRows: (number | undefined)[];
}

const SUPPRESSED = /^(\*|c|\[c\]|x|\[x\]|<\s*\d+(\.\d+)?|suppressed|redacted)$/i;
const MISSING = /^(|na|nan|null|n\/a)$/i;
const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$|^[+-]?\.\d+$/;
const CATEGORY_HEADER = /^(year|age|age[ _-]?(band|group)|month|quarter|week|period|date|code|sex|gender|region|group|category)$/i;
const TOTAL = /^(total|all|overall|sum|grand total)$/i;

export function parseCell(raw: string): CellValue {
  const text = raw.trim();
  if (MISSING.test(text)) return { kind: 'missing' };
  if (SUPPRESSED.test(text)) return { kind: 'suppressed', text };
  if (NUMBER.test(text)) return { kind: 'number', value: Number(text.replaceAll(',', '')) };
  return { kind: 'text', text };
}

export const isTotalLabel = (text: string): boolean => TOTAL.test(text.trim());

export function modelTable(table: RawTable): TableModel {
  const cells = table.rows.map((row) => row.map(parseCell));
  const header = table.header.map((h) => h.trim());
  const width = header.length;
  let labels = 0;
  while (labels < width && (CATEGORY_HEADER.test(header[labels] ?? '') || cells.some((row) => row[labels]?.kind === 'text'))) labels += 1;

  const columns: ColumnRole[] = header.map((_, i) => (i < labels ? { role: 'label' } : { role: 'frequency', total: false }));
  const indexOf = new Map(header.map((h, i) => [h.toLowerCase(), i] as const));
  for (let i = labels; i < width; i += 1) {
    const name = (header[i] ?? '').toLowerCase();
    const count = indexOf.get(`${name}_n`);
    const top: number[] = [];
    for (let k = 1; indexOf.has(`${name}_top${k}`); k += 1) top.push(indexOf.get(`${name}_top${k}`) as number);
    const total = isTotalLabel(header[i] ?? '');
    if (top.length > 0) columns[i] = { role: 'magnitude', ...(count !== undefined ? { count } : {}), top, total };
    else if (count !== undefined && count >= labels) columns[i] = { role: 'statistic', count, total };
    else continue;
    for (const aux of [...top, ...(count !== undefined ? [count] : [])]) if (aux >= labels) columns[aux] = { role: 'auxiliary', of: i };
  }
  for (let i = labels; i < width; i += 1) {
    const column = columns[i];
    if (column?.role === 'frequency') column.total = isTotalLabel(header[i] ?? '');
  }
  const totalRows = table.rows.map((row) => {
    for (let j = 0; j < labels; j += 1) if (isTotalLabel(row[j] ?? '')) return j;
    return undefined;
  });
  return { header, cells, columns, totalRows };
}

/** The row's label, the label cells joined by " / " (for findings people read). */
export function rowLabel(table: RawTable, model: TableModel, row: number): string {
  const labels = model.columns.flatMap((c, i) => (c.role === 'label' ? [table.rows[row]?.[i]?.trim() ?? ''] : []));
  return labels.length > 0 ? labels.join(' / ') : `row ${row + 1}`;
}
