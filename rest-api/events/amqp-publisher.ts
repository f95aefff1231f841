/**
 * The RabbitMQ sink: publishes each event to a durable topic exchange on a confirm channel, as a persistent
 * JSON message whose routing key is the event name and whose `messageId` is the event id. `publish` resolves
 * only when the broker confirmed the message, so the relay marks an outbox row published only then.
 *
 * When the broker is away `publish` rejects with UnavailableError at once (the row stays in the outbox) and the
 * publisher reconnects in the background with exponential back-off; while a back-off pause runs, publishes fail
 * fast instead of each trying to connect.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { UnavailableError } from '../../shared/index.js';
import type { OutboxEvent } from '../../db/index.js';
import { toEventMessage, type EventSink } from './event-sink.js';

export interface AmqpPublisherOptions {
  url: string;
  /** Topic exchange the events go to (declared durable if missing). */
  exchange: string;
  logger: Logger;
  /** Reconnect back-off: starts at `minMs`, doubles, capped at `maxMs`. Default 500 ms … 30 s. */
  reconnect?: { minMs: number; maxMs: number };
  /** How long to wait for the broker's confirm. Default 10 s. */
  confirmTimeoutMs?: number;
  /** AMQP `appId` of the messages. Default `spe-permit-manager`. */
  appId?: string;
}

export interface AmqpPublisher extends EventSink {
  /** Connects now (start-up); rejects when the broker is unreachable (and keeps retrying in the background). */
  connect(): Promise<void>;
  isConnected(): boolean;
  close(): Promise<void>;
}

interface Link {
  model: ChannelModel;
  channel: ConfirmChannel;
}

export function createAmqpPublisher(options: AmqpPublisherOptions): AmqpPublisher {
  const where = redact(options.url);
  const log = options.logger.child({ component: 'amqp-publisher', broker: where, exchange: options.exchange });
  const reconnect = options.reconnect ?? { minMs: 500, maxMs: 30_000 };
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  let link: Link | undefined;
  let connecting: Promise<Link> | undefined;
  let failures = 0;
  let nextAttemptAt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  async function open(): Promise<Link> {
    const model = await amqp.connect(options.url);
    try {
      const channel = await model.createConfirmChannel();
      await channel.assertExchange(options.exchange, 'topic', { durable: true });
      const opened: Link = { model, channel };
      const lost = (what: string) => (error?: unknown) => {
        if (link !== opened) return;
        link = undefined;
        // A channel can close on its own (a channel error); close its connection too, a new link replaces both.
        void model.close().catch(() => undefined);
        if (closed) return;
        log.warn({ err: error instanceof Error ? error.message : undefined }, `RabbitMQ ${what}; events wait in the outbox until it is back`);
        scheduleReconnect();
      };
      model.on('error', (error: unknown) => log.debug({ err: error }, 'RabbitMQ connection error'));
      model.on('close', lost('connection closed'));
      channel.on('error', (error: unknown) => log.debug({ err: error }, 'RabbitMQ channel error'));
      channel.on('close', lost('channel closed'));
      return opened;
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  function ensureConnected(): Promise<Link> {
    if (link) return Promise.resolve(link);
    if (closed) return Promise.reject(new UnavailableError('The RabbitMQ publisher is closed'));
    if (connecting) return connecting;
    const waitMs = nextAttemptAt - Date.now();
    if (waitMs > 0) {
      return Promise.reject(new UnavailableError(`RabbitMQ at ${where} is unreachable; next connection attempt in ${Math.ceil(waitMs / 1000)} s`));
    }
    connecting = open()
      .then((opened) => {
        link = opened;
        if (failures > 0) log.info({ afterFailedAttempts: failures }, 'reconnected to RabbitMQ');
        else log.info('connected to RabbitMQ');
        failures = 0;
        nextAttemptAt = 0;
        if (closed) void opened.model.close().catch(() => undefined);
        return opened;
      })
      .catch((error: unknown) => {
        failures += 1;
        const delay = Math.min(reconnect.maxMs, reconnect.minMs * 2 ** (failures - 1));
        nextAttemptAt = Date.now() + delay;
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ err: reason, retryInMs: delay, failures }, 'cannot connect to RabbitMQ');
        scheduleReconnect();
        throw new UnavailableError(`RabbitMQ at ${where} is unreachable (${reason}); retrying in ${Math.ceil(delay / 1000)} s`);
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const delay = Math.max(0, nextAttemptAt - Date.now()) || reconnect.minMs;
    nextAttemptAt = Math.max(nextAttemptAt, Date.now() + delay);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      nextAttemptAt = 0;
      ensureConnected().catch(() => undefined);
    }, delay);
    retryTimer.unref();
  }

  function dropLink(current: Link): void {
    if (link === current) link = undefined;
    void current.model.close().catch(() => undefined);
  }

  return {
    name: 'rabbitmq',
    async connect() {
      await ensureConnected();
    },
    isConnected: () => link !== undefined,
    async publish(event: OutboxEvent) {
      const current = await ensureConnected();
      const body = Buffer.from(JSON.stringify(toEventMessage(event)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new UnavailableError(`RabbitMQ did not confirm event ${event.id} within ${confirmTimeoutMs} ms`));
          dropLink(current);
        }, confirmTimeoutMs);
        const done = (error?: unknown) => {
          clearTimeout(timer);
          if (error) reject(new UnavailableError(`RabbitMQ did not take event ${event.id}: ${error instanceof Error ? error.message : String(error)}`));
          else resolve();
        };
        try {
          current.channel.publish(
            options.exchange,
            event.name,
            body,
            {
              persistent: true,
              messageId: event.id,
              type: event.name,
              contentType: 'application/json',
              contentEncoding: 'utf-8',
              timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
              appId: options.appId ?? 'spe-permit-manager',
              headers: { permitId: event.permitId, seq: event.seq },
            },
            (error: unknown) => done(error ?? undefined),
          );
        } catch (error) {
          // amqplib throws synchronously when the channel is already closed.
          done(error ?? new Error('publish failed'));
        }
      });
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      await connecting?.catch(() => undefined);
      const current = link;
      link = undefined;
      if (current) await current.model.close().catch(() => undefined);
    },
  };
}

/** `amqp://user:secret@host:5672/vhost` → `amqp://host:5672/vhost` (never log credentials). */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured AMQP URL';
  }
}
