/**
 * What a reviewer sees of one output file without downloading it: the first rows of a table, the first 64 KiB of
 * a text, or a pointer to the image bytes (raster images only). Reads at most what it shows from the stream.
 */
import { parse as parseSync } from 'csv-parse/sync';
import { PREVIEWABLE_IMAGES, TEXT_TYPES } from '../../airlock/release/media-type.js';
import { tableFormatOf } from '../../airlock/disclosure/read-table.js';

export const PREVIEW_ROWS = 100;
export const PREVIEW_TEXT_BYTES = 64 * 1024;
export const PREVIEW_TABLE_BYTES = 1024 * 1024;

export type FilePreview =
  | { kind: 'table'; header: string[]; rows: string[][]; truncated: boolean }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'image'; mediaType: string }
  | { kind: 'none'; reason: string };

export async function previewFile(path: string, mediaType: string, source: AsyncIterable<Buffer | string> & { destroy?: () => void }): Promise<FilePreview> {
  try {
    const format = tableFormatOf(path);
    if (format) return await previewTable(source, format);
    if (TEXT_TYPES.has(mediaType)) return await previewText(source);
    if (PREVIEWABLE_IMAGES.has(mediaType)) return { kind: 'image', mediaType };
    return { kind: 'none', reason: `no preview for ${mediaType} files: ask the research team for a table, text or a PNG/JPEG image` };
  } finally {
    source.destroy?.();
  }
}

async function previewText(source: AsyncIterable<Buffer | string>): Promise<FilePreview> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
    if (size > PREVIEW_TEXT_BYTES) break;
  }
  const all = Buffer.concat(chunks);
  const truncated = all.length > PREVIEW_TEXT_BYTES;
  // Cut on a character boundary: decode, then drop a trailing replacement character left by a split sequence.
  const text = all.subarray(0, PREVIEW_TEXT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
  return { kind: 'text', text, truncated };
}

async function previewTable(source: AsyncIterable<Buffer | string>, format: 'csv' | 'tsv'): Promise<FilePreview> {
  // Read until the shown rows are in (or 1 MiB), cut at the last full line, parse that.
  const chunks: Buffer[] = [];
  let size = 0;
  let lines = 0;
  let more = false;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
    for (const byte of bytes) if (byte === 0x0a) lines += 1;
    if (lines > PREVIEW_ROWS + 1 || size > PREVIEW_TABLE_BYTES) {
      more = true;
      break;
    }
  }
  let text = Buffer.concat(chunks).toString('utf8');
  if (more) text = text.slice(0, text.lastIndexOf('\n') + 1);
  try {
    const records = parseSync(text, { delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    const [header = [], ...rows] = records;
    return { kind: 'table', header, rows: rows.slice(0, PREVIEW_ROWS), truncated: more || rows.length > PREVIEW_ROWS };
  } catch (error) {
    return { kind: 'none', reason: `the table cannot be read: ${(error as Error).message}` };
  }
}
