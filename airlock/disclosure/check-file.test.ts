import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkFile } from './check-file.js';
import { DIFFERENCING_TABLE, DOMINATED_TABLE, PASSING_TABLE, SMALL_CELL_TABLE } from './disclosure-fixtures.js';
import { DEFAULT_DISCLOSURE_THRESHOLDS } from './disclosure-thresholds.js';

const now = () => new Date('2026-12-06T12:00:00Z');
const check = (text: string, path = 't.csv', extra: object = {}) => checkFile(Readable.from([Buffer.from(text)]), { path, now, ...extra });

describe('disclosure checks on the fixture tables', () => {
  it('passes the table whose counts are all at least 10', async () => {
    const result = await check(PASSING_TABLE);
    expect(result.status).toBe('pass');
    expect(result.type).toBe('table');
    expect(result.properties).toMatchObject({ method: 'frequency', rows: 3, columns: 4, labelColumns: ['region'], totalRows: 1, totalColumns: 1 });
    expect(result.sdc.summary).toEqual({ suppressed: false, threshold: 0, 'nk-rule': 0, 'p-ratio': 0, negative: 0, missing: 0, differencing: 0 });
    expect(result.summary).toBe('pass: 3 rows × 4 columns, frequency table; no cell breaks a rule.');
  });

  it('fails the table with a count of 7 at North/Female, naming the cell', async () => {
    const result = await check(SMALL_CELL_TABLE);
    expect(result.status).toBe('fail');
    expect(result.sdc.cells.threshold).toEqual([[1, 2]]);
    expect(result.sdc.summary.threshold).toBe(1);
    expect(result.findings).toEqual([
      { rule: 'threshold', row: 1, column: 2, rowLabel: 'North', columnLabel: 'Female', value: '7', message: 'count 7 is below the minimum of 10' },
    ]);
    expect(result.summary).toBe('fail: 3 rows × 4 columns, frequency table; 1 cell below the minimum count of 10.');
  });

  it('fails dominance where the two largest contributors make up 89 % of East', async () => {
    const result = await check(DOMINATED_TABLE);
    expect(result.status).toBe('fail');
    expect(result.properties.method).toBe('magnitude');
    expect(result.sdc.cells['nk-rule']).toEqual([[1, 1]]);
    expect(result.sdc.summary).toMatchObject({ threshold: 0, 'nk-rule': 1, 'p-ratio': 0 });
    expect(result.findings[0]).toMatchObject({ rowLabel: 'East', columnLabel: 'cost', message: 'the 2 largest contributors make up 89.0 % of 10000 (more than 85 %)' });
  });

  it('fails a suppressed cell that the totals give away by subtraction', async () => {
    const result = await check(DIFFERENCING_TABLE);
    expect(result.status).toBe('fail');
    expect(result.sdc.summary.suppressed).toBe(true);
    expect(result.sdc.cells.differencing).toEqual([[0, 2]]);
  });

  it('does not flag differencing when two cells of the row and column are suppressed', async () => {
    const result = await check(['region,Male,Female,Total', 'North,c,c,40', 'South,c,c,78', 'Total,65,53,118'].join('\n'));
    expect(result.sdc.cells.differencing).toEqual([]);
    expect(result.status).toBe('pass');
  });
});

describe('thresholds per permit and the other rules', () => {
  it('applies the permit\'s own thresholds', async () => {
    const thresholds = { ...DEFAULT_DISCLOSURE_THRESHOLDS, minCellCount: 30, dominanceK: 90 };
    const small = await check(PASSING_TABLE, 't.csv', { thresholds });
    expect(small.sdc.cells.threshold).toEqual([[0, 1]]);
    const dominated = await check(DOMINATED_TABLE, 't.csv', { thresholds });
    expect(dominated.sdc.cells['nk-rule']).toEqual([]);
    expect(dominated.sdc.cells.threshold).toEqual([[1, 1], [2, 1]]);
  });

  it('flags p-ratio, negative counts, and empty cells for review', async () => {
    const pRatio = await check(['group,cost,cost_top1,cost_top2', 'A,1000,500,460'].join('\n'));
    expect(pRatio.sdc.cells['p-ratio']).toEqual([[0, 1]]);
    const negative = await check(['group,n', 'A,-12', 'B,15'].join('\n'));
    expect(negative.sdc.cells.negative).toEqual([[0, 1]]);
    const missing = await check(['group,n', 'A,', 'B,15'].join('\n'));
    expect(missing).toMatchObject({ status: 'review', sdc: { cells: { missing: [[0, 1]] } } });
  });

  it('counts zeros only when the permit says zeros are disclosive', async () => {
    const table = ['group,n', 'A,0', 'B,15'].join('\n');
    expect((await check(table)).status).toBe('pass');
    const strict = await check(table, 't.csv', { thresholds: { ...DEFAULT_DISCLOSURE_THRESHOLDS, zerosAreDisclosive: true } });
    expect(strict.sdc.cells.threshold).toEqual([[0, 1]]);
  });

  it('reads year and age columns as labels, and TSV files', async () => {
    const result = await check(['year\tage_band\tcount', '2024\t40-49\t12', '2025\t40-49\t3'].join('\n'), 't.tsv');
    expect(result.properties.labelColumns).toEqual(['year', 'age_band']);
    expect(result.findings.map((f) => f.rowLabel)).toEqual(['2025 / 40-49']);
  });
});

describe('files the checks do not read', () => {
  it('asks for review of a non-table, a ragged table, and a table past the limits, saying why', async () => {
    expect(await check('hello', 'notes.txt')).toMatchObject({ type: 'custom', status: 'review', summary: 'review: not checked automatically: it is not a table (the checks read .csv and .tsv files). Review it by eye.' });
    expect((await check('a,b\n1,2,3\n')).summary).toContain('row 2 has 3 cells but the header has 2');
    const big = await checkFile(Readable.from(Array.from({ length: 100 }, () => Buffer.from('1,2,3,4\n'))), { path: 'big.csv', now }, { maxBytes: 1e6, maxCells: 100, maxColumns: 10 });
    expect(big).toMatchObject({ status: 'review', summary: expect.stringContaining('more than 100 cells') });
    const bytes = await checkFile(Readable.from(Array.from({ length: 100 }, () => Buffer.from('1,2,3,4\n'))), { path: 'big.csv', now }, { maxBytes: 50, maxCells: 1e6, maxColumns: 10 });
    expect(bytes.summary).toContain('larger than 50 bytes');
  });
});
