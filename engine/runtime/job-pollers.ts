/**
 * Long polling for job activation. A request that finds nothing waits (up to its request timeout). When a
 * job of its type becomes activatable, the waiting request is served inside the same batch that created the
 * job — before that batch's commit — so the activation is durable together with the job and the worker
 * hears of it right after that one commit. Every activation that found jobs, waiting or not, is answered by
 * `deliver()` before the batch's other callers (pick-up latency: the worker's answer is written first).
 */
import type { ActivateJobsInput, ActivatedJob } from './engine-api.js';

interface Poller {
  type: string;
  /** Runs the activation against the in-memory state (inside the command loop). */
  tryActivate: () => ActivatedJob[];
  /** Activated jobs are waiting for the batch's commit, or an activation command is queued. */
  inFlight: boolean;
  /** Timed out or aborted: answer [] at the next chance instead of waiting again. */
  expired: boolean;
  done: boolean;
  finish: (jobs: ActivatedJob[]) => void;
  fail: (error: unknown) => void;
}

type Submit = <T>(run: () => T) => Promise<T>;

export class JobPollers {
  private readonly waiting = new Map<string, Set<Poller>>();
  /** Pollers served in the current batch, answered after its commit. */
  private deliveries: Array<{ poller: Poller; jobs: ActivatedJob[] }> = [];

  constructor(
    private readonly submit: Submit,
    private readonly defaultRequestTimeout: number,
  ) {}

  activate(input: ActivateJobsInput, tryActivate: () => ActivatedJob[], signal?: AbortSignal): Promise<ActivatedJob[]> {
    const requestTimeout = input.requestTimeout === undefined || input.requestTimeout === 0 ? this.defaultRequestTimeout : input.requestTimeout;
    const longPoll = requestTimeout > 0;
    return new Promise<ActivatedJob[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', expire);
        this.unregister(poller);
      };
      const poller: Poller = {
        type: input.type,
        tryActivate,
        inFlight: true,
        expired: false,
        done: false,
        finish: (jobs) => {
          if (poller.done) return;
          poller.done = true;
          settle();
          resolve(jobs);
        },
        fail: (error) => {
          if (poller.done) return;
          poller.done = true;
          settle();
          reject(error);
        },
      };
      function expire(): void {
        poller.expired = true;
        if (!poller.inFlight) poller.finish([]);
      }
      if (signal?.aborted) {
        resolve([]);
        return;
      }
      signal?.addEventListener('abort', expire);
      if (longPoll) timer = setTimeout(expire, requestTimeout);
      this.submit(() => {
        // Answered already: its batch was rolled back (dropDeliveries) and this is the re-run.
        if (poller.done) return [];
        const jobs = tryActivate();
        if (jobs.length > 0) {
          // Answered with the waiting pollers after the commit, ahead of the batch's other callers.
          this.deliveries.push({ poller, jobs });
          return undefined;
        }
        if (!longPoll || poller.expired) return jobs;
        // Waiting from now on: a later command of this very batch may already serve it.
        poller.inFlight = false;
        this.register(poller);
        return undefined;
      }).then(
        (jobs) => {
          if (!jobs) return;
          poller.inFlight = false;
          poller.finish(jobs);
        },
        (error: unknown) => {
          poller.inFlight = false;
          poller.fail(error);
        },
      );
    });
  }

  /**
   * Inside the command loop, before the commit: jobs of `type` became activatable, so waiting pollers of that
   * type take them now. They are answered by `deliver()` once the batch is durable.
   */
  serveWaiting(type: string): void {
    const set = this.waiting.get(type);
    if (!set) return;
    for (const poller of [...set]) {
      if (poller.done || poller.inFlight) continue;
      const jobs = poller.tryActivate();
      if (jobs.length === 0) break;
      set.delete(poller);
      poller.inFlight = true;
      this.deliveries.push({ poller, jobs });
    }
    if (set.size === 0) this.waiting.delete(type);
  }

  /** After the commit: answer the pollers served in this batch. */
  deliver(): void {
    for (const { poller, jobs } of this.deliveries.splice(0)) {
      poller.inFlight = false;
      poller.finish(jobs);
    }
  }

  /** The batch was not committed: its activations did not happen; the pollers get nothing this time. */
  dropDeliveries(): void {
    for (const { poller } of this.deliveries.splice(0)) {
      poller.inFlight = false;
      poller.finish([]);
    }
  }

  closeAll(): void {
    for (const set of this.waiting.values()) for (const p of set) p.finish([]);
    this.waiting.clear();
  }

  private register(p: Poller): void {
    let set = this.waiting.get(p.type);
    if (!set) this.waiting.set(p.type, (set = new Set()));
    set.add(p);
  }

  private unregister(p: Poller): void {
    const set = this.waiting.get(p.type);
    if (!set) return;
    set.delete(p);
    if (set.size === 0) this.waiting.delete(p.type);
  }
}
