/**
 * Serialises commands and commits their effects in groups. Commands that arrive while a commit is in flight
 * wait and then run together, so one transaction carries many of them (group commit). A command's caller is
 * answered only after the transaction holding its effects is durable.
 */
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';

interface Queued {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface BatchHooks {
  /** Runs one command synchronously against the in-memory state. */
  execute(run: () => unknown): unknown;
  /** After the batch's commands, before its commit: work that belongs in the same transaction. */
  beforeCommit(): void;
  /** Makes the batch's changes durable. */
  commit(): Promise<void>;
  /** After a failed commit or an unexpected failure: memory no longer matches the store, rebuild it. */
  recover(error: unknown): Promise<void>;
  /** After a successful commit, just before the batch's callers are answered. */
  afterCommit(): void;
}

export class CommandQueue {
  private queue: Queued[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly hooks: BatchHooks,
    private readonly log: Logger,
    private readonly maxBatch = 2000,
  ) {}

  submit<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        void this.loop();
      }
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        let poisoned = false;
        for (const cmd of batch) {
          try {
            outcomes.push({ ok: true, value: this.hooks.execute(cmd.run) });
          } catch (error) {
            if (!(error instanceof EngineError)) {
              this.log.error({ err: error }, 'command failed unexpectedly; its batch is rolled back');
              poisoned = true;
            }
            outcomes.push({ ok: false, error });
          }
        }
        if (poisoned) {
          // A bug, not a refusal: the command may have changed memory half-way. Nothing of this batch is
          // committed; memory is rebuilt from the store and the other commands run again on top of it.
          const again: Queued[] = [];
          batch.forEach((cmd, i) => {
            const o = outcomes[i]!;
            if (!o.ok && !(o.error instanceof EngineError)) {
              // A failure that carries its own answer (a command over the step limit) is answered with it.
              const refusal = (o.error as { refusal?: unknown } | undefined)?.refusal;
              cmd.reject(
                refusal instanceof EngineError
                  ? refusal
                  : new EngineError('INTERNAL', `The engine failed unexpectedly and applied nothing: ${String(o.error)}. The error is logged; report it with the log.`),
              );
            } else {
              again.push(cmd);
            }
          });
          await this.hooks.recover(new Error('unexpected failure while processing a command'));
          this.queue.unshift(...again);
          continue;
        }
        try {
          this.hooks.beforeCommit();
          await this.hooks.commit();
        } catch (error) {
          this.log.error({ err: error }, 'commit failed; answering UNAVAILABLE and reloading state from the store');
          for (const cmd of batch) {
            cmd.reject(new EngineError('UNAVAILABLE', 'The engine could not store the change; nothing was applied. Retry the request.'));
          }
          await this.hooks.recover(error);
          continue;
        }
        // Those waiting on the batch's outcome (long-polling job workers first) hear before the batch's own
        // callers: their answers are then written first, which is what job pick-up latency waits for.
        this.hooks.afterCommit();
        batch.forEach((cmd, i) => {
          const o = outcomes[i]!;
          if (o.ok) cmd.resolve(o.value);
          else cmd.reject(o.error);
        });
        // Let the callers' continuations (the HTTP answers) run before the next batch executes: run at once,
        // every answer of this batch, a job worker's among them, waited for the next batch's commands.
        if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
