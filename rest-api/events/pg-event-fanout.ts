/**
 * Live events for every instance on one PostgreSQL: the leading instance's relay has a sink that sends
 * `NOTIFY <channel>, '<event id>'` for each event it relays; every instance (the leader included) LISTENs on its
 * own dedicated connection, reads each announced event row and hands it to its in-process hub, which feeds its
 * own SSE clients. The hub passes each id on once, so an event announced again (the relay retried after RabbitMQ
 * failed) reaches clients once. After the listening connection drops it reconnects and first catches up on what
 * was published after the last event it saw, so a client of that instance misses nothing.
 *
 *   const notifier = createPgEventNotifier({ knex, channel });            // a sink for the relay, first in line
 *   const listener = startPgEventListener({ connect, knex, channel, hub, logger });
 *   await listener.stop();
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { TABLES, toOutboxEvent, type OutboxEvent, type OutboxEventRow } from '../../db/index.js';
import type { EventHub } from './event-hub.js';
import type { EventSink } from './event-sink.js';

/** The channel of a schema: one per Permit Manager database (tests use a schema each). */
export function eventChannel(schema = 'public'): string {
  return `spe_events_${schema}`.slice(0, 63);
}

export function createPgEventNotifier(options: { knex: Knex; channel: string }): EventSink {
  return {
    name: 'pg-notify',
    async publish(event) {
      await options.knex.raw('SELECT pg_notify(?, ?)', [options.channel, event.id]);
    },
  };
}

/** The slice of `pg.Client` the listener uses. */
export interface ListenConnection {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgEventListenerOptions {
  connect: () => ListenConnection;
  knex: Knex;
  channel: string;
  hub: Pick<EventHub, 'publish'>;
  logger: Logger;
  /** Pause before reconnecting after the connection failed. Default 1 s. */
  reconnectMs?: number;
}

export interface PgEventListener {
  /** Resolves once listening (the first time). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startPgEventListener(options: PgEventListenerOptions): PgEventListener {
  const log = options.logger.child({ component: 'event-listener', channel: options.channel });
  const reconnectMs = options.reconnectMs ?? 1_000;
  let client: ListenConnection | undefined;
  let stopped = false;
  let lastSeq: number | undefined;
  let chain: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;

  const deliver = async (events: OutboxEvent[]) => {
    for (const event of events) {
      await options.hub.publish(event);
      if (lastSeq === undefined || event.seq > lastSeq) lastSeq = event.seq;
    }
  };
  // One at a time, in the order PostgreSQL announced them.
  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => log.error({ err: error }, 'an announced event could not be read; it is caught up after the next reconnect'));
  };

  const readById = async (id: string) => {
    const rows = (await options.knex(TABLES.outboxEvents).where({ id })) as OutboxEventRow[];
    await deliver(rows.map(toOutboxEvent));
  };
  const catchUp = async (afterSeq: number) => {
    const rows = (await options.knex(TABLES.outboxEvents).where('seq', '>', afterSeq).whereNotNull('published_at').orderBy('seq').limit(10_000)) as OutboxEventRow[];
    if (rows.length > 0) log.info({ events: rows.length, afterSeq }, 'caught up on events announced while not listening');
    await deliver(rows.map(toOutboxEvent));
  };

  async function listen(): Promise<void> {
    const connection = options.connect();
    connection.on('error', (error) => {
      log.warn({ err: error.message, retryInMs: reconnectMs }, 'the event listener lost its connection; reconnecting');
      if (client === connection) client = undefined;
      void connection.end().catch(() => undefined);
      scheduleReconnect();
    });
    connection.on('notification', (message) => {
      if (message.channel !== options.channel || !message.payload) return;
      const id = message.payload;
      enqueue(() => readById(id));
    });
    await connection.connect();
    await connection.query(`LISTEN "${options.channel.replace(/"/g, '""')}"`);
    client = connection;
    if (stopped) {
      await connection.end();
      return;
    }
    const seen = lastSeq;
    if (seen !== undefined) enqueue(() => catchUp(seen));
  }

  function scheduleReconnect(): void {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      listen().catch((error: unknown) => {
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not listen for events yet; retrying');
        scheduleReconnect();
      });
    }, reconnectMs);
    retry.unref();
  }

  const ready = listen().catch((error: unknown) => {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not listen for events yet; retrying');
    scheduleReconnect();
  });

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await chain;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
