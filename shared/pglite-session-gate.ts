/**
 * Two components on one PGlite, which has exactly one session. Each component gets its own knex (its own
 * one-connection pool) whose connection is a handle on this gate; the gate decides whose statement runs.
 *
 * - With no transaction open, statements run in arrival order, one at a time.
 * - A component's transaction (BEGIN … COMMIT/ROLLBACK) has the session to itself: the other component waits.
 * - Except a `nestable` component (the engine): it may not wait for a transaction that is itself waiting for it.
 *   The Permit Manager sends some messages to the engine while its transaction is open (the transaction is the
 *   guard for "one message per intent"), and the engine must commit before it answers: waiting would deadlock.
 *   So the engine's statements run inside the open transaction, each unit (a statement, or the engine's own
 *   transaction) under a savepoint, and the open transaction's own statements wait until the unit is done.
 *   When that transaction then rolls back (the Permit Manager refuses after all), the engine's units are run
 *   again, in order, in a transaction of their own before anything else runs: they are the engine's records
 *   written as whole rows (upserts), so the result is what the engine committed. The one difference to a
 *   separate database: while the outer transaction is open, the engine's commit is not yet on disk (a kill -9 in
 *   those milliseconds loses it, as if the engine had crashed before committing; its callers then retry).
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

interface Frame {
  handle: SessionHandle;
  /** A nestable component's transaction running inside another's, under this savepoint. */
  savepoint?: string;
  /** Its statements, for a replay should the outer transaction roll back. */
  statements?: Statement[];
}

const OUTER_ABORTED = Symbol('outer transaction aborted');

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const END = /^\s*(COMMIT|END|ROLLBACK)\s*;?\s*$/i;
const ROLLBACK = /^\s*ROLLBACK\s*;?\s*$/i;

/** What knex-pglite calls on its "connection". */
export interface SessionHandle {
  readonly name: string;
  readonly nestable: boolean;
  readonly waitReady: Promise<void>;
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  /** knex.destroy() of one component: the shared PGlite stays open for the other. */
  close(): Promise<void>;
}

export class PgliteSessionGate {
  private readonly stack: Frame[] = [];
  /** Units of nestable components that ran inside the current outer transaction, in order. */
  private nestedUnits: Statement[][] = [];
  /** The outer transaction's id, taken when the first nested unit runs in it (to learn whether it committed). */
  private outerTxid: string | undefined;
  private mutex: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private savepoints = 0;

  constructor(
    private readonly pglite: PGlite,
    private readonly logger?: Logger,
  ) {}

  handle(name: string, options: { nestable?: boolean } = {}): SessionHandle {
    const handle: SessionHandle = {
      name,
      nestable: options.nestable ?? false,
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
    for (;;) {
      const outcome = await this.exclusive(async () => {
        const top = this.stack.at(-1);
        if (!top || top.handle === handle) return { result: await this.runOwn<T>(handle, top, statement) };
        if (handle.nestable && !this.stack.some((frame) => frame.handle === handle)) {
          const nested = await this.runNested<T>(handle, statement);
          return nested === OUTER_ABORTED ? undefined : { result: nested };
        }
        return undefined;
      });
      if (outcome) return outcome.result;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** A statement of the component whose transaction has the session (or of anyone when none is open). */
  private async runOwn<T>(handle: SessionHandle, top: Frame | undefined, statement: Statement): Promise<Results<T>> {
    if (top?.savepoint) {
      // The nestable component's own transaction inside another's.
      if (END.test(statement.sql)) {
        const rolledBack = ROLLBACK.test(statement.sql);
        try {
          if (rolledBack) await this.pglite.query(`ROLLBACK TO SAVEPOINT ${top.savepoint}`);
          await this.pglite.query(`RELEASE SAVEPOINT ${top.savepoint}`);
          if (!rolledBack) this.nestedUnits.push(top.statements!);
        } finally {
          this.stack.pop();
          this.wake();
        }
        return emptyResult<T>();
      }
      const result = await this.pglite.query<T>(statement.sql, statement.params, statement.options);
      top.statements!.push(statement);
      return result;
    }
    let result: Results<T>;
    try {
      result = await this.pglite.query<T>(statement.sql, statement.params, statement.options);
    } catch (error) {
      if (top && END.test(statement.sql)) await this.endOuter(handle);
      throw error;
    }
    if (!top && BEGIN.test(statement.sql)) this.stack.push({ handle });
    else if (top && END.test(statement.sql)) await this.endOuter(handle);
    return result;
  }

  /** The outer transaction ended: if nested units ran in it and it did not commit, run them again on their own. */
  private async endOuter(handle: SessionHandle): Promise<void> {
    this.stack.pop();
    const units = this.nestedUnits;
    const txid = this.outerTxid;
    this.nestedUnits = [];
    this.outerTxid = undefined;
    try {
      if (units.length === 0 || txid === undefined) return;
      const status = await this.pglite.query<{ status: string }>('SELECT txid_status($1::bigint) AS status', [txid]);
      if (status.rows[0]?.status === 'committed') return;
      this.logger?.info({ units: units.length, rolledBack: handle.name }, 'writes made inside a transaction that rolled back are made again on their own');
      await this.pglite.query('BEGIN');
      try {
        for (const unit of units) for (const s of unit) await this.pglite.query(s.sql, s.params, s.options);
        await this.pglite.query('COMMIT');
      } catch (error) {
        await this.pglite.query('ROLLBACK').catch(() => undefined);
        this.logger?.error({ err: error }, 'writes made inside a transaction that rolled back could not be made again; restart the platform so the engine reloads what is on disk');
      }
    } finally {
      this.wake();
    }
  }

  /** A nestable component's statement while another's transaction is open: under a savepoint inside it. */
  private async runNested<T>(handle: SessionHandle, statement: Statement): Promise<Results<T> | typeof OUTER_ABORTED> {
    const savepoint = `spe_nested_${++this.savepoints}`;
    try {
      this.outerTxid ??= String((await this.pglite.query<{ txid: string | number }>('SELECT txid_current()::text AS txid')).rows[0]!.txid);
      await this.pglite.query(`SAVEPOINT ${savepoint}`);
    } catch (error) {
      // The outer transaction failed and only waits for its ROLLBACK: wait for that, then run on our own.
      if ((error as { code?: string }).code === '25P02') return OUTER_ABORTED;
      throw error;
    }
    if (BEGIN.test(statement.sql)) {
      this.stack.push({ handle, savepoint, statements: [] });
      return emptyResult<T>();
    }
    try {
      const result = await this.pglite.query<T>(statement.sql, statement.params, statement.options);
      await this.pglite.query(`RELEASE SAVEPOINT ${savepoint}`);
      this.nestedUnits.push([statement]);
      return result;
    } catch (error) {
      await this.pglite.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      await this.pglite.query(`RELEASE SAVEPOINT ${savepoint}`);
      throw error;
    }
  }
}

function emptyResult<T>(): Results<T> {
  return { rows: [], fields: [], affectedRows: 0 } as unknown as Results<T>;
}
