/**
 * A min-heap of things that become due at a point in time (timers, job deadlines, retry back-offs,
 * message expiry). Entries are never removed early: when popped, the caller checks whether the entry
 * still applies (lazy invalidation), which keeps cancelling O(1).
 */
export interface DueEntry {
  at: number;
  what: 'timer' | 'jobDeadline' | 'jobBackoff' | 'messageExpiry';
  key: string;
}

export class DueQueue {
  private readonly heap: DueEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: DueEntry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  /** Removes and returns every entry due at or before `now`. */
  popDue(now: number): DueEntry[] {
    const due: DueEntry[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) due.push(this.pop()!);
    return due;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private pop(): DueEntry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
