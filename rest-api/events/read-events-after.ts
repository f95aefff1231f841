/** Outbox events after a seq, oldest first: what an SSE client missed since its Last-Event-ID. */
import type { Knex } from 'knex';
import { TABLES, toOutboxEvent, type OutboxEvent, type OutboxEventRow } from '../../db/index.js';

export async function readEventsAfter(knex: Knex, afterSeq: number, limit: number): Promise<OutboxEvent[]> {
  const rows = (await knex(TABLES.outboxEvents).where('seq', '>', afterSeq).orderBy('seq').limit(limit)) as OutboxEventRow[];
  return rows.map(toOutboxEvent);
}
