/** 1234567 → "1.2 MB"; sha256 shortened for tables (the full value is in the title and the API). */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function shortSha(sha256: string | null | undefined): string {
  return sha256 ? `${sha256.slice(0, 12)}…` : '—';
}
