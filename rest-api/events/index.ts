/** Events: the outbox relay, its sinks (RabbitMQ, the in-app hub) and the SSE stream. */
export { createOutboxRelay, type OutboxPort, type OutboxRelay, type OutboxRelayOptions, type RelayRound } from './outbox-relay.js';
export { createAmqpPublisher, type AmqpPublisher, type AmqpPublisherOptions } from './amqp-publisher.js';
export { createEventHub, type EventHub, type EventListener } from './event-hub.js';
export { toEventMessage, type EventMessage, type EventSink } from './event-sink.js';
export { createEventStreamRouter, type EventStreamRouterDeps } from './event-stream-router.js';
export type { PermitVisibility, ReadEventsAfter } from './open-event-stream.js';
export { readEventsAfter } from './read-events-after.js';
