/**
 * The RabbitMQ sink against a real broker (AMQP_URL; skipped when unset), and the relay through a broker outage:
 * a TCP proxy between publisher and broker is taken down while permits change, then brought back; every event
 * reaches the consumer exactly once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait-for.js';
import { freePort } from '../../test/support/free-port.js';
import { TABLES, transitionPermit, type Database } from '../../db/index.js';
import { insertPermit } from '../../db/testing/permit-fixtures.js';
import { testDatabaseTargets } from '../../db/testing/test-databases.js';
import { EVENTS, UnavailableError, type PermitStatus } from '../../shared/index.js';
import { createAmqpPublisher, type AmqpPublisher } from './amqp-publisher.js';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.js';
import { makeOutboxEvent } from './testing/memory-outbox.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';

const AMQP_URL = process.env.AMQP_URL?.trim();
const logger = pino({ level: 'silent' });
const fast = { minMs: 20, maxMs: 200 };

/** A consumer on its own connection: an exclusive queue bound to every routing key of the exchange. */
async function startConsumer(url: string, exchange: string) {
  const model: ChannelModel = await amqp.connect(url);
  const channel: Channel = await model.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  const messages: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => {
    if (message) messages.push(message);
  }, { noAck: true });
  return {
    messages,
    ids: () => messages.map((m) => String(m.properties.messageId)),
    async close() {
      await channel.deleteExchange(exchange).catch(() => undefined);
      await model.close().catch(() => undefined);
    },
  };
}

describe.skipIf(!AMQP_URL)('RabbitMQ publisher', () => {
  const url = AMQP_URL ?? '';
  let exchange: string;
  let publisher: AmqpPublisher | undefined;
  let consumer: Awaited<ReturnType<typeof startConsumer>>;

  beforeEach(async () => {
    exchange = `spe-test-${randomBytes(4).toString('hex')}`;
    consumer = await startConsumer(url, exchange);
  });
  afterEach(async () => {
    await publisher?.close();
    publisher = undefined;
    await consumer.close();
  });

  it('publishes persistent JSON messages with the event name as routing key and the event id as message id', async () => {
    publisher = createAmqpPublisher({ url, exchange, logger });
    const event = makeOutboxEvent({ name: EVENTS.setupApproved, permitId: 'P-42', payload: { permitId: 'P-42', newStatus: 'ANALYSIS_PROVISIONING' } });
    await publisher.publish(event);
    const [message] = await waitFor('the message at the consumer', () => consumer.messages.length > 0 && consumer.messages);
    expect(message?.fields.routingKey).toBe(EVENTS.setupApproved);
    expect(message?.fields.exchange).toBe(exchange);
    expect(message?.properties).toMatchObject({ messageId: event.id, contentType: 'application/json', deliveryMode: 2, type: EVENTS.setupApproved });
    expect(JSON.parse(message!.content.toString('utf8'))).toEqual({
      id: event.id,
      seq: event.seq,
      name: EVENTS.setupApproved,
      permitId: 'P-42',
      occurredAt: event.occurredAt,
      payload: { permitId: 'P-42', newStatus: 'ANALYSIS_PROVISIONING' },
    });
    expect(publisher.isConnected()).toBe(true);
  });

  it('fails fast with UnavailableError when the broker is unreachable, without credentials in the message', async () => {
    const port = await freePort();
    publisher = createAmqpPublisher({ url: `amqp://guest:guest@127.0.0.1:${port}`, exchange, logger, reconnect: { minMs: 60_000, maxMs: 60_000 } });
    const first = publisher.publish(makeOutboxEvent());
    await expect(first).rejects.toThrow(UnavailableError);
    await expect(first).rejects.toThrow(new RegExp(`^RabbitMQ at amqp://127\\.0\\.0\\.1:${port} is unreachable`));
    // Within the back-off pause: no new connection attempt, the same answer at once.
    await expect(publisher.publish(makeOutboxEvent())).rejects.toThrow(/next connection attempt in \d+ s/);
    expect(publisher.isConnected()).toBe(false);
  });
});

describe.skipIf(!AMQP_URL).each(testDatabaseTargets())('outbox relay through a RabbitMQ outage, on $name', (target) => {
  const url = new URL(AMQP_URL ?? 'amqp://localhost');
  let db: Database;
  let proxy: TcpProxy;
  let publisher: AmqpPublisher;
  let relay: OutboxRelay;
  let consumer: Awaited<ReturnType<typeof startConsumer>>;
  let exchange: string;

  beforeEach(async () => {
    db = await target.open();
    exchange = `spe-test-${randomBytes(4).toString('hex')}`;
    consumer = await startConsumer(url.toString(), exchange);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5672) });
    const viaProxy = new URL(url.toString());
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    publisher = createAmqpPublisher({ url: viaProxy.toString(), exchange, logger, reconnect: fast });
    relay = createOutboxRelay({ knex: db.knex, sinks: [publisher], logger, pollMs: 20, backOff: fast });
  });
  afterEach(async () => {
    await relay.stop();
    await publisher.close();
    await proxy.close();
    await consumer.close();
    await db.close();
  });
  afterAll(() => target.dispose());

  const move = (permitId: string, to: PermitStatus) =>
    transitionPermit(db.knex, { permitId, to, actor: 'process:spe-permit-application', idempotencyKey: randomUUID() });
  const outboxIds = async () => ((await db.knex(TABLES.outboxEvents).orderBy('seq').select('id')) as { id: string }[]).map((r) => r.id);
  const unpublished = async () => (await db.knex(TABLES.outboxEvents).whereNull('published_at').select('id', 'attempts')) as { id: string; attempts: number }[];

  it('delays events while the broker is away and delivers every one exactly once when it is back', async () => {
    const permit = await insertPermit(db.knex, { status: 'DRAFT' });
    relay.start();
    await move(permit.id, 'SUBMITTED');
    await waitFor('the first events at the consumer', async () => consumer.ids().length === (await outboxIds()).length);

    await proxy.down();
    await move(permit.id, 'UNDER_ASSESSMENT');
    await move(permit.id, 'APPROVED');
    await waitFor('the relay to meet the outage', async () => (await unpublished()).some((row) => row.attempts > 0), { timeoutMs: 15_000 });
    expect((await unpublished()).length).toBeGreaterThanOrEqual(2);

    await proxy.up();
    await waitFor('the outbox to drain', async () => (await unpublished()).length === 0, { timeoutMs: 15_000 });
    // A last event after everything else: once it is in, any duplicate of an earlier one would be too.
    await move(permit.id, 'DATA_INGRESS_PENDING');
    const all = await outboxIds();
    await waitFor('every event at the consumer', () => consumer.ids().includes(all.at(-1)!), { timeoutMs: 15_000 });

    expect([...consumer.ids()].sort()).toEqual([...all].sort());
    expect(new Set(consumer.ids()).size).toBe(consumer.ids().length);
    const names = consumer.messages.map((m) => m.fields.routingKey);
    expect(names).toContain(EVENTS.statusUpdated);
  });
});
