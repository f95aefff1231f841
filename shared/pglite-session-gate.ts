/**
 * Two components on one PGlite, which has exactly one session. Each component gets its own knex (its own
 * one-connection pool) whose connection is a handle on this gate; the gate decides whose statement runs.
 *
 * - With no transaction open, statements run in arrival order, one at a time.
 * - A component's transaction (BEGIN … COMMIT/ROLLBACK) has the session to itself: the other component's
 *   statements wait until it ends. So each component's transactions stay whole, and the engine's commit is on disk
 *   when its commit returns, as on a database of its own.
 *
 * This holds only while no transaction waits for the other component. The Permit Manager never calls the engine
 * inside a transaction of its own: every request that writes locally and tells the process records an engine
 * command in its transaction and publishes it after the commit (docs/adr/0006-engine-commands.md), so the engine
 * never has to run inside a Permit Manager transaction. (Until the last of those requests moved onto the outbox,
 * the engine's statements ran nested under savepoints of the open transaction and were replayed when it rolled
 * back; that is gone, with its window where the engine's commit was not yet on disk.) Should a transaction ever
 * wait for the other component again, the waiting statement fails after `waitLimitMs` with an error naming both,
 * rather than the two hanging for ever: the engine answers that batch 503 and the transaction goes on.
 *
 * The Permit Manager's `search_path` is the session's (the engine names its schema in every statement).
 */
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import type { Logger } from 'pino';

interface Statement {
  sql: string;
  params: unknown[] | undefined;
  options: QueryOptions | undefined;
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const END = /^\s*(COMMIT|END|ROLLBACK)\s*;?\s*$/i;

/** How long a statement may wait for another component's transaction before it fails (default 60 s). */
export const DEFAULT_WAIT_LIMIT_MS = 60_000;

/** What knex-pglite calls on its "connection". */
export interface SessionHandle {
  readonly name: string;
  readonly waitReady: Promise<void>;
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  /** knex.destroy() of one component: the shared PGlite stays open for the other. */
  close(): Promise<void>;
}

/** A statement waited longer than the limit for another component's transaction (a transaction waiting for it?). */
export class SessionWaitError extends Error {
  constructor(waiting: string, holder: string, waitedMs: number) {
    super(
      `The ${waiting} component waited ${Math.round(waitedMs / 1000)} s for the ${holder} component's transaction on the shared embedded database. ` +
        `A transaction must not wait for the other component (shared/pglite-session-gate.ts); if this repeats, report it with the log, or run on PostgreSQL (DATABASE_URL).`,
    );
    this.name = 'SessionWaitError';
  }
}

export class PgliteSessionGate {
  /** The component whose transaction is open, if any. */
  private owner: SessionHandle | undefined;
  private mutex: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private readonly waitLimitMs: number;

  constructor(
    private readonly pglite: PGlite,
    private readonly logger?: Logger,
    options: { waitLimitMs?: number } = {},
  ) {
    this.waitLimitMs = options.waitLimitMs ?? DEFAULT_WAIT_LIMIT_MS;
  }

  /** `nestable` is accepted for callers written before nesting was removed; it changes nothing. */
  handle(name: string, _options: { nestable?: boolean } = {}): SessionHandle {
    const handle: SessionHandle = {
      name,
      waitReady: this.pglite.waitReady,
      query: <T>(sql: string, params?: unknown[], queryOptions?: QueryOptions) => this.query<T>(handle, { sql, params, options: queryOptions }),
      close: () => Promise.resolve(),
    };
    return handle;
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.mutex;
    let done!: () => void;
    this.mutex = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      return await work();
    } finally {
      done();
    }
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async query<T>(handle: SessionHandle, statement: Statement): Promise<Results<T>> {
    const since = Date.now();
    for (;;) {
      const outcome = await this.exclusive(async () => (!this.owner || this.owner === handle ? { result: await this.run<T>(handle, statement) } : undefined));
      if (outcome) return outcome.result;
      const waited = Date.now() - since;
      if (waited >= this.waitLimitMs) {
        const error = new SessionWaitError(handle.name, this.owner?.name ?? 'other', waited);
        this.logger?.error({ err: error, waiting: handle.name, holder: this.owner?.name }, 'a statement waited too long for another component\'s transaction; it fails');
        throw error;
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        timer = setTimeout(resolve, this.waitLimitMs - waited);
        timer.unref();
      });
      clearTimeout(timer);
    }
  }

  private async run<T>(handle: SessionHandle, statement: Statement): Promise<Results<T>> {
    const ends = this.owner === handle && END.test(statement.sql);
    try {
      const result = await this.pglite.query<T>(statement.sql, statement.params, statement.options);
      if (!this.owner && BEGIN.test(statement.sql)) this.owner = handle;
      return result;
    } finally {
      if (ends) {
        // Ended, or failed to end (PostgreSQL then leaves no transaction open either): the session is free.
        this.owner = undefined;
        this.wake();
      }
    }
  }
}
