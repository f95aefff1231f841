/**
 * Collect domain events the way a client sees them: from the SSE stream (`GET /api/events/stream`) and from a
 * RabbitMQ queue bound to the events exchange. Both parse each event into { id, name, permitId, payload }.
 */
import amqplib from 'amqplib';
import { waitFor } from '../../support/wait-for.js';
import type { PermitManagerForTest } from './start-permit-manager-for-test.js';

export interface CollectedEvent {
  id: string;
  name: string;
  permitId: string | undefined;
  payload: Record<string, unknown>;
}

export interface EventCollector {
  readonly events: CollectedEvent[];
  /** Resolves with all events so far once `done(events)` holds. */
  waitFor(done: (events: CollectedEvent[]) => boolean, timeoutMs?: number): Promise<CollectedEvent[]>;
  close(): Promise<void>;
}

/** An event as the stream or the broker carries it: the outbox event, or just its payload with the name beside it. */
export function toCollectedEvent(data: unknown, fallback: { id?: string | undefined; name?: string | undefined }): CollectedEvent | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const payload = (typeof record.payload === 'object' && record.payload !== null ? record.payload : record) as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : fallback.name;
  const id = typeof record.id === 'string' ? record.id : fallback.id;
  if (!name || !id) return undefined;
  const permitId = typeof record.permitId === 'string' ? record.permitId : typeof payload.permitId === 'string' ? payload.permitId : undefined;
  return { id, name, permitId, payload };
}

function collector(events: CollectedEvent[], close: () => Promise<void>): EventCollector {
  return {
    events,
    waitFor: (done, timeoutMs = 20_000) => waitFor('the expected events', () => (done(events) ? [...events] : undefined), { timeoutMs, intervalMs: 25 }),
    close,
  };
}

/** Opens the SSE stream as the token's user and collects what arrives until closed. */
export async function openEventStream(pm: PermitManagerForTest, token: string): Promise<EventCollector> {
  const abort = new AbortController();
  const response = await fetch(`${pm.baseUrl}/api/events/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`GET /api/events/stream answered ${response.status}: ${await response.text()}`);
  const events: CollectedEvent[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          const fields: Record<string, string> = {};
          for (const line of block.split(/\r?\n/)) {
            const match = /^([a-z]+): ?(.*)$/.exec(line);
            if (match?.[1]) fields[match[1]] = fields[match[1]] === undefined ? (match[2] ?? '') : `${fields[match[1]]}\n${match[2] ?? ''}`;
          }
          if (fields.data === undefined) continue;
          try {
            const event = toCollectedEvent(JSON.parse(fields.data), { id: fields.id, name: fields.event });
            if (event) events.push(event);
          } catch {
            // not JSON (a comment or heartbeat): ignore
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return collector(events, async () => {
    abort.abort();
    await reading;
  });
}

/** Binds an exclusive queue to the topic exchange (routing keys = event names) and collects what arrives. */
export async function collectFromExchange(amqpUrl: string, exchange: string): Promise<EventCollector> {
  const connection = await amqplib.connect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.checkExchange(exchange);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  const events: CollectedEvent[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      try {
        const properties = message.properties as { messageId?: string; type?: string };
        const event = toCollectedEvent(JSON.parse(message.content.toString('utf8')), { id: properties.messageId, name: properties.type ?? message.fields.routingKey });
        if (event) events.push(event);
      } catch {
        // not JSON: ignore
      }
    },
    { noAck: true },
  );
  return collector(events, async () => {
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
}
