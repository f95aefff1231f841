/** Console output of the benchmark: throttled progress lines and the final table. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

export function note(text: string): void {
  process.stdout.write(`   ${text}\n`);
}

/** Returns a function to call with the count done so far; prints at most once a second (and at the end). */
export function progress(label: string, total: number): (done: number) => void {
  const started = performance.now();
  let last = started;
  return (done: number) => {
    const now = performance.now();
    if (done < total && now - last < 1_000) return;
    last = now;
    const rate = done / Math.max((now - started) / 1000, 1e-9);
    process.stdout.write(`   ${label}: ${done}/${total} (${rate.toFixed(0)}/s)\n`);
  };
}

export interface Row {
  metric: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.metric, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const header = ['metric', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

export const fmt = {
  rate: (perSecond: number): string => `${perSecond.toFixed(0)} instances/s`,
  ms: (ms: number): string => `${ms.toFixed(1)} ms`,
  us: (us: number | undefined): string => (us === undefined ? 'n/a' : `${us.toFixed(0)} µs`),
  bytes: (bytes: number): string => (bytes >= 10_240 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes.toFixed(0)} B`),
};
