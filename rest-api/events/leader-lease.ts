/**
 * A leader lease on PostgreSQL: one instance at a time holds a session-level advisory lock on a dedicated
 * connection and runs what only one may run (the outbox relay). The others try again every `retryMs`. When the
 * holder dies (SIGKILL, crash, lost network) its session ends, PostgreSQL releases the lock, and the next try of
 * another instance takes it: a takeover within about `retryMs` (plus the time PostgreSQL needs to notice a
 * half-open connection, which TCP keep-alive bounds). The holder checks its connection every `retryMs` too and
 * steps down (stops the relay) the moment the connection fails, so two relays overlap at most for that window;
 * consumers de-duplicate on the event id either way.
 *
 *   const lease = createLeaderLease({ connect: () => new pg.Client({ connectionString }), name: 'outbox-relay:public', logger,
 *     onAcquired: () => relay.start(), onLost: () => relay.stop() });
 *   lease.start();
 *   await lease.stop();   // steps down (runs onLost) and releases the lock
 */
import type { Logger } from 'pino';

/** The slice of `pg.Client` the lease uses (tests may hand in their own). */
export interface LeaseConnection {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface LeaderLeaseOptions {
  /** A new, unconnected client for the lease's own session (never a pooled connection: the lock lives with the session). */
  connect: () => LeaseConnection;
  /** What is led; the advisory lock key is `hashtext(name)`. Include the schema so separate schemas lead separately. */
  name: string;
  logger: Logger;
  /** How often a follower tries to take the lock and the leader checks its session. Default 2 s. */
  retryMs?: number;
  onAcquired: () => void | Promise<void>;
  onLost: () => void | Promise<void>;
}

export interface LeaderLease {
  start(): void;
  /** Steps down (awaits onLost), releases the lock and closes the session. */
  stop(): Promise<void>;
  readonly isLeader: boolean;
}

export function createLeaderLease(options: LeaderLeaseOptions): LeaderLease {
  const retryMs = options.retryMs ?? 2_000;
  const log = options.logger.child({ component: 'leader-lease', lease: options.name });
  let session: LeaseConnection | undefined;
  let sessionFailed = false;
  let leader = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function openSession(): Promise<LeaseConnection> {
    if (session && !sessionFailed) return session;
    await closeSession();
    const client = options.connect();
    sessionFailed = false;
    client.on('error', (error) => {
      sessionFailed = true;
      log.warn({ err: error.message }, 'the lease connection failed');
    });
    await client.connect();
    session = client;
    return client;
  }

  async function closeSession(): Promise<void> {
    const current = session;
    session = undefined;
    if (current) await current.end().catch(() => undefined);
  }

  async function stepDown(reason: string): Promise<void> {
    if (!leader) return;
    leader = false;
    log.warn({ reason }, 'stepping down as leader');
    await Promise.resolve(options.onLost()).catch((error: unknown) => log.error({ err: error }, 'stepping down failed'));
  }

  async function tick(): Promise<void> {
    try {
      if (leader) {
        // Still ours? Any failure of the session means the lock may be gone: step down first, then reconnect.
        if (sessionFailed || !session) throw new Error('the lease connection is gone');
        await session.query('SELECT 1');
        return;
      }
      const client = await openSession();
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS acquired', [options.name]);
      if (rows[0]?.acquired === true && !stopped) {
        leader = true;
        log.info('took the lease: this instance leads');
        await options.onAcquired();
      }
    } catch (error) {
      await stepDown(error instanceof Error ? error.message : String(error));
      sessionFailed = true;
      log.debug({ err: error }, 'lease round failed; trying again');
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, retryMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      running = tick().finally(schedule);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await stepDown('shutting down');
      if (session && !sessionFailed) await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await closeSession();
    },
    get isLeader() {
      return leader;
    },
  };
}
