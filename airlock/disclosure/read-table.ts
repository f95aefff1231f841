/**
 * Reads a CSV (or TSV) output table from a stream of bytes into rows of strings, in bounded memory: reading
 * stops at the first byte, cell or column past the limits and says which limit was passed. No I/O of its own:
 * the caller hands in the stream (a file, an object-store body, a string in tests).
 */
import { parse } from 'csv-parse';
import { TABLE_LIMITS, type TableLimits } from './disclosure-thresholds.js';

export interface RawTable {
  header: string[];
  rows: string[][];
}

export type ReadTableResult = { ok: true; table: RawTable } | { ok: false; reason: string };

export type TableFormat = 'csv' | 'tsv';

/** The format the checks read a path as, or undefined when the file is not a table they read. */
export function tableFormatOf(path: string): TableFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsv')) return 'tsv';
  return undefined;
}

export async function readTable(source: AsyncIterable<Buffer | string>, format: TableFormat = 'csv', limits: TableLimits = TABLE_LIMITS): Promise<ReadTableResult> {
  const parser = parse({ delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  let bytes = 0;
  let refusal: string | undefined;
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (bytes > limits.maxBytes) {
          refusal = `the file is larger than ${limits.maxBytes} bytes, the most the automated checks read`;
          break;
        }
        if (!parser.write(chunk)) await new Promise<void>((resolve) => parser.once('drain', resolve));
        if (refusal) break;
      }
    } finally {
      parser.end();
    }
  })();

  const records: string[][] = [];
  let cells = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (refusal) continue;
      if (record.length > limits.maxColumns) refusal = `a row has ${record.length} columns, more than the ${limits.maxColumns} the automated checks read`;
      cells += record.length;
      if (cells > limits.maxCells) refusal = `the table has more than ${limits.maxCells} cells, the most the automated checks read`;
      if (!refusal) records.push(record);
    }
    await feed;
  } catch (error) {
    await feed.catch(() => undefined);
    return { ok: false, reason: `it is not valid ${format.toUpperCase()}: ${(error as Error).message}` };
  }
  if (refusal) return { ok: false, reason: refusal };
  const [header, ...rows] = records;
  if (!header) return { ok: false, reason: 'the file is empty' };
  const ragged = rows.findIndex((row) => row.length !== header.length);
  if (ragged >= 0) return { ok: false, reason: `row ${ragged + 2} has ${rows[ragged]?.length} cells but the header has ${header.length}` };
  return { ok: true, table: { header, rows } };
}
