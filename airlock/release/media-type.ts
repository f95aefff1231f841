/** The media type the airlock names a file by, from its extension (previews, downloads and the RO-Crate). */
const TYPES: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  log: 'text/plain',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  html: 'text/html',
  svg: 'image/svg+xml',
};

export function mediaTypeOf(path: string): string {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  return path.includes('.') ? (TYPES[ext] ?? 'application/octet-stream') : 'application/octet-stream';
}

/** Images a browser may show inline from the airlock: raster formats only (an SVG can carry script). */
export const PREVIEWABLE_IMAGES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const TEXT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/markdown', 'application/json', 'text/csv', 'text/tab-separated-values']);
