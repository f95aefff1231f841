/**
 * The engine's clock. Normally the system time; tests pin it (`PUT /v2/clock`) to make timers, job
 * deadlines, back-offs and message TTLs due without waiting. A pinned clock stands still until pinned
 * again or reset, as Camunda's does.
 */
export class EngineClock {
  private pinned: number | undefined;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return this.pinned ?? Date.now();
  }

  /** The last ISO string made and its instant: many events of a batch fall in the same millisecond. */
  private lastIso = { at: Number.NaN, text: '' };

  isoNow(): string {
    const now = this.now();
    if (now !== this.lastIso.at) this.lastIso = { at: now, text: new Date(now).toISOString() };
    return this.lastIso.text;
  }

  pin(epochMs: number): void {
    this.pinned = epochMs;
    this.changed();
  }

  reset(): void {
    this.pinned = undefined;
    this.changed();
  }

  /** Called whenever the clock jumps, so schedulers can re-check what became due. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
