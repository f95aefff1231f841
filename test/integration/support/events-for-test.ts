/**
 * The events part of the Permit Manager for integration tests: the outbox relay feeding the in-app hub (and so
 * the SSE stream) and, when an AMQP URL is given, RabbitMQ; plus the SSE stream router.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createAmqpPublisher, createEventHub, createEventStreamRouter, createOutboxRelay, type EventSink } from '../../../rest-api/events/index.js';
import type { FeatureRouter } from '../../../rest-api/platform/define-route.js';
import { collectFromExchange, type EventCollector } from './event-collectors.js';

export const TEST_EXCHANGE = 'spe.events.test';

export interface EventsForTest {
  routers: FeatureRouter[];
  /** A collector on the RabbitMQ exchange, or undefined when no broker is configured. */
  collectFromBroker(): Promise<EventCollector | undefined>;
  stop(): Promise<void>;
}

export async function startEventsForTest(deps: { knex: Knex; logger: Logger; amqpUrl: string | undefined }): Promise<EventsForTest> {
  const { knex, logger, amqpUrl } = deps;
  const hub = createEventHub({ logger });
  const amqp = amqpUrl ? createAmqpPublisher({ url: amqpUrl, exchange: TEST_EXCHANGE, logger }) : undefined;
  if (amqp) await amqp.connect();
  const sinks: EventSink[] = amqp ? [hub, amqp] : [hub];
  const relay = createOutboxRelay({ knex, sinks, logger, pollMs: 25 });
  relay.start();
  const canSeePermit = async (caller: { userId: string; roles: readonly string[] }, permitId: string): Promise<boolean> => {
    if (caller.roles.includes('admin')) return true;
    const row: unknown = await knex('permit_members').where({ permit_id: permitId, user_id: caller.userId }).first();
    return row !== undefined;
  };
  return {
    routers: [createEventStreamRouter({ hub, knex, canSeePermit, logger, heartbeatMs: 5_000 })],
    collectFromBroker: async () => (amqpUrl ? collectFromExchange(amqpUrl, TEST_EXCHANGE) : undefined),
    async stop() {
      await relay.stop();
      await amqp?.close();
    },
  };
}
