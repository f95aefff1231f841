/**
 * Long polling for job activation. A request that finds nothing waits (up to its request timeout) and is
 * retried as soon as a job of its type becomes activatable; the retry is a command like any other, so the
 * activation is durable before the worker hears of it.
 */
import type { ActivateJobsInput, ActivatedJob } from './engine-api.js';

interface Poller {
  type: string;
  attempt: () => void;
  /** An activation command for this poller is queued or running. */
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

  constructor(
    private readonly submit: Submit,
    private readonly defaultRequestTimeout: number,
  ) {}

  activate(input: ActivateJobsInput, tryActivate: () => ActivatedJob[], signal?: AbortSignal): Promise<ActivatedJob[]> {
    const requestTimeout = input.requestTimeout === undefined || input.requestTimeout === 0 ? this.defaultRequestTimeout : input.requestTimeout;
    const longPoll = requestTimeout > 0;
    return new Promise<ActivatedJob[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const poller: Poller = {
        type: input.type,
        inFlight: false,
        expired: false,
        done: false,
        finish: (jobs) => {
          if (poller.done) return;
          poller.done = true;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.unregister(poller);
          resolve(jobs);
        },
        fail: (error) => {
          if (poller.done) return;
          poller.done = true;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.unregister(poller);
          reject(error);
        },
        attempt: () => {
          poller.inFlight = true;
          this.submit(() => {
            const jobs = tryActivate();
            if (jobs.length > 0 || !longPoll || poller.expired) return jobs;
            this.register(poller);
            return undefined;
          }).then(
            (jobs) => {
              poller.inFlight = false;
              if (jobs) poller.finish(jobs);
            },
            (error: unknown) => {
              poller.inFlight = false;
              poller.fail(error);
            },
          );
        },
      };
      const expire = (): void => {
        poller.expired = true;
        if (!poller.inFlight) poller.finish([]);
      };
      const onAbort = (): void => expire();
      if (signal?.aborted) {
        resolve([]);
        return;
      }
      signal?.addEventListener('abort', onAbort);
      if (longPoll) timer = setTimeout(expire, requestTimeout);
      poller.attempt();
    });
  }

  /** Jobs of `type` became activatable: every waiting poller of that type tries again. */
  wake(type: string): void {
    const set = this.waiting.get(type);
    if (!set) return;
    this.waiting.delete(type);
    for (const p of set) if (!p.done) p.attempt();
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
