/**
 * Where the outbox relay delivers events: RabbitMQ (`createAmqpPublisher`) and the in-process hub feeding the
 * SSE stream (`createEventHub`). A sink resolves once the event is safely handed over (for RabbitMQ: confirmed by
 * the broker) and rejects otherwise; the relay then leaves the outbox row unpublished and tries again later.
 */
import type { OutboxEvent } from '../../db/index.js';

export interface EventSink {
  readonly name: string;
  publish(event: OutboxEvent): Promise<void>;
}

/** The JSON body of an event, on RabbitMQ and in the stream's `data:` alike. */
export interface EventMessage {
  id: string;
  seq: number;
  name: string;
  permitId: string | null;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export function toEventMessage(event: OutboxEvent): EventMessage {
  return { id: event.id, seq: event.seq, name: event.name, permitId: event.permitId, occurredAt: event.occurredAt, payload: event.payload };
}
