/**
 * The chaos run's event consumer: an exclusive queue bound to every routing key of the platform's exchange,
 * counting deliveries by `messageId` (the event id), the way a consumer de-duplicating on it would see them.
 * Connects to the broker directly, not through the proxy the platform's outages are made with.
 */
import amqp from 'amqplib';

export interface AmqpCounter {
  /** Deliveries per event id. */
  counts: Map<string, number>;
  /** All deliveries, duplicates included. */
  readonly total: number;
  close(): Promise<void>;
}

export async function startAmqpCounter(url: string, exchange: string): Promise<AmqpCounter> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  const counts = new Map<string, number>();
  let total = 0;
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      total += 1;
      const id = String(message.properties.messageId ?? '');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    },
    { noAck: true },
  );
  return {
    counts,
    get total() {
      return total;
    },
    async close() {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
