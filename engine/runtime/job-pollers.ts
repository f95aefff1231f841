/**
 * Long polling for job activation. A request that finds nothing waits (up to its request timeout). When a
 * job of its type becomes activatable, the waiting request is served inside the same batch that created the
 * job — before that batch's commit — so the activation is durable together with the job and the worker
 * hears of it right after that one commit. An activation that found fewer jobs than it asked for also takes
 * the jobs that later commands of its own batch create (its answer waits for that commit anyway): otherwise
 * they would wait for the worker's next request and a commit of their own, the largest part of job pick-up
 * at saturation. Every activation that found jobs, waiting or not, is answered by `deliver()` before the
 * batch's other callers (pick-up latency: the worker's answer is written first).
 */
import type { ActivateJobsInput, ActivatedJob } from './engine-api.js';

interface Poller {
  type: string;
  /** Most jobs one answer may carry (the request's maxJobsToActivate). */
  maxJobs: number;
  /** Activates up to `max` jobs against the in-memory state (inside the command loop). */
  tryActivate: (max: number) => ActivatedJob[];
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

  activate(input: ActivateJobsInput, tryActivate: (max: number) => ActivatedJob[], signal?: AbortSignal): Promise<ActivatedJob[]> {
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
        maxJobs: input.maxJobsToActivate,
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
        const jobs = tryActivate(poller.maxJobs);
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
   * type take them now, then the activations of this batch that have room left. They are answered by
   * `deliver()` once the batch is durable.
   */
  serveWaiting(type: string): void {
    if (!this.serveRegistered(type)) return;
    for (const delivery of this.deliveries) {
      const { poller, jobs } = delivery;
      const room = poller.maxJobs - jobs.length;
      if (poller.type !== type || poller.done || poller.expired || room <= 0) continue;
      const more = poller.tryActivate(room);
      if (more.length === 0) return;
      delivery.jobs = jobs.concat(more);
    }
  }

  /** Serves the waiting pollers of `type`; false when the jobs ran out before they did. */
  private serveRegistered(type: string): boolean {
    const set = this.waiting.get(type);
    if (!set) return true;
    let jobsLeft = true;
    for (const poller of [...set]) {
      if (poller.done || poller.inFlight) continue;
      const jobs = poller.tryActivate(poller.maxJobs);
      if (jobs.length === 0) {
        jobsLeft = false;
        break;
      }
      set.delete(poller);
      poller.inFlight = true;
      this.deliveries.push({ poller, jobs });
    }
    if (set.size === 0) this.waiting.delete(type);
    return jobsLeft;
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
