/**
 * The in-app sink: an in-process hub the SSE connections subscribe to. The relay hands it every event before
 * RabbitMQ, and again when RabbitMQ failed and the event is retried; the hub remembers the ids it delivered
 * recently and passes each event on once, so a broker outage neither delays nor duplicates in-app events.
 */
import type { Logger } from 'pino';
import type { OutboxEvent } from '../../db/index.js';
import type { EventSink } from './event-sink.js';

export type EventListener = (event: OutboxEvent) => void;

export interface EventHub extends EventSink {
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  readonly subscribers: number;
}

export function createEventHub(options: { logger?: Logger; rememberIds?: number } = {}): EventHub {
  const listeners = new Set<EventListener>();
  const remember = options.rememberIds ?? 10_000;
  const delivered = new Set<string>();

  return {
    name: 'in-app',
    get subscribers() {
      return listeners.size;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async publish(event) {
      if (delivered.has(event.id)) return;
      delivered.add(event.id);
      // Sets iterate in insertion order: drop the oldest ids once over the limit.
      if (delivered.size > remember) delivered.delete(delivered.values().next().value as string);
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          options.logger?.error({ err: error, eventId: event.id }, 'an event stream subscriber failed; the others still get the event');
        }
      }
    },
  };
}
