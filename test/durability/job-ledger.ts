/**
 * Counts, per job key, how often a worker was handed the job and how often the engine acknowledged its
 * completion, and in which engine run each happened. The durability test uses it to show that no job is
 * completed twice and that no acknowledged completion is redelivered after a restart.
 */
export interface JobEntry {
  jobKey: string;
  processInstanceKey: string;
  /** Run numbers (1 = before the kill, 2 = after the restart) in which a worker received the job. */
  deliveries: number[];
  /** Run numbers in which the engine answered a completion with success. */
  completions: number[];
  /** Completion attempts the engine refused (problem+json) or that never got an answer. */
  refusals: string[];
}

export class JobLedger {
  private readonly entries = new Map<string, JobEntry>();
  run = 1;

  delivered(jobKey: string, processInstanceKey: string): void {
    this.entry(jobKey, processInstanceKey).deliveries.push(this.run);
  }

  /** Call when the engine's answer arrives: the run is the one current at that moment. */
  completed(jobKey: string): void {
    this.entry(jobKey).completions.push(this.run);
  }

  refused(jobKey: string, reason: string): void {
    this.entry(jobKey).refusals.push(reason);
  }

  get(jobKey: string): JobEntry | undefined {
    return this.entries.get(jobKey);
  }

  all(): JobEntry[] {
    return [...this.entries.values()];
  }

  /** Job keys whose completion was acknowledged more than once. */
  completedTwice(): string[] {
    return this.all().filter((e) => e.completions.length > 1).map((e) => e.jobKey);
  }

  /** Job keys acknowledged as completed in run 1 but handed to a worker again in run 2. */
  redeliveredAfterAck(): string[] {
    return this.all()
      .filter((e) => e.completions.includes(1) && e.deliveries.includes(2))
      .map((e) => e.jobKey);
  }

  private entry(jobKey: string, processInstanceKey = ''): JobEntry {
    let entry = this.entries.get(jobKey);
    if (!entry) {
      entry = { jobKey, processInstanceKey, deliveries: [], completions: [], refusals: [] };
      this.entries.set(jobKey, entry);
    }
    return entry;
  }
}
