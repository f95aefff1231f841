/**
 * User-task commands that started task listeners wait here for the transition to end: accepted, denied, or
 * the task terminated. Outcomes are collected during a batch and handed out only after it is committed, so a
 * caller never hears of a transition the store does not hold. A caller gives up after its timeout with 504
 * DEADLINE_EXCEEDED; the transition carries on in the engine.
 */
import { EngineError } from '../errors.js';

export class TransitionWaiters {
  private readonly waiters = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
  private ended: Array<{ userTaskKey: string; error: EngineError | undefined }> = [];

  constructor(private readonly timeoutMs: number) {}

  /** Registers the caller of the command that started the transition of `userTaskKey` (inside the batch). */
  register(userTaskKey: string): Promise<void> {
    const waiting = new Promise<void>((resolve, reject) => this.waiters.set(userTaskKey, { resolve, reject }));
    // Until the caller awaits it, a rejection (engine stopping) must not count as unhandled.
    waiting.catch(() => undefined);
    return waiting;
  }

  /** The interpreter's hook: a transition ended in the current batch. */
  transitionEnded(userTaskKey: string, error?: EngineError): void {
    this.ended.push({ userTaskKey, error });
  }

  /** After the batch is committed: answers the callers of the transitions it ended. */
  afterCommit(): void {
    for (const { userTaskKey, error } of this.ended.splice(0)) {
      const waiter = this.waiters.get(userTaskKey);
      if (!waiter) continue;
      this.waiters.delete(userTaskKey);
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  /** The batch was rolled back: its outcomes never happened. */
  dropBatch(): void {
    this.ended = [];
  }

  /** Waits for `waiting` (from register) at most the timeout. */
  async wait(userTaskKey: string, waiting: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.waiters.delete(userTaskKey);
        reject(
          new EngineError(
            'DEADLINE_EXCEEDED',
            `The task listeners of user task '${userTaskKey}' did not finish within ${this.timeoutMs} ms; the transition carries on in the engine (see the task's state).`,
          ),
        );
      }, this.timeoutMs);
    });
    try {
      await Promise.race([waiting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  rejectAll(error: EngineError): void {
    for (const w of this.waiters.values()) w.reject(error);
    this.waiters.clear();
  }
}
