/**
 * What the outbox relay needs (rest-api/events/): fetch the oldest unpublished events, then mark each one
 * published or failed.
 *
 *   const events = await claimUnpublished(knex, 100);      // oldest first (seq order)
 *   for (const e of events) {
 *     try { await publish(e); await markPublished(knex, [e.id]); }
 *     catch (err) { await markFailed(knex, e.id, err); }    // stays unpublished: claimed again next round
 *   }
 *
 * Claims lock the rows FOR UPDATE SKIP LOCKED. With a plain knex the lock ends with the query, so run one
 * relay per database; a second relay would now and then publish an event twice (consumers de-duplicate on
 * `id`, so that is safe, only wasteful). Relays that must never overlap call all three inside one transaction
 * (`knex.transaction(trx => …)`) and publish while holding it — on PostgreSQL only: PGlite has one connection,
 * which the open transaction would hold for the whole publish.
 */
import type { Knex } from 'knex';
import { TABLES } from '../types.js';
import { toOutboxEvent, type OutboxEvent, type OutboxEventRow } from './outbox-event-rows.js';

const MAX_ERROR_LENGTH = 2000;

/** Up to `limit` unpublished events, oldest first. Failed ones come back too (see `attempts` / `lastError`). */
export async function claimUnpublished(knex: Knex, limit: number): Promise<OutboxEvent[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`claimUnpublished: limit must be a positive integer, got ${limit}`);
  const rows = (await knex(TABLES.outboxEvents).whereNull('published_at').orderBy('seq').limit(limit).forUpdate().skipLocked()) as OutboxEventRow[];
  return rows.map(toOutboxEvent);
}

/** Marks events published (now). Ids already published or unknown are skipped; returns how many were marked. */
export async function markPublished(knex: Knex, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return knex(TABLES.outboxEvents)
    .whereIn('id', [...ids])
    .whereNull('published_at')
    .update({ published_at: new Date(), attempts: knex.raw('attempts + 1'), last_error: null });
}

/** Records a failed publish attempt: counts it and keeps the error message. The event stays unpublished. */
export async function markFailed(knex: Knex, id: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await knex(TABLES.outboxEvents)
    .where({ id })
    .whereNull('published_at')
    .update({ attempts: knex.raw('attempts + 1'), last_error: message.slice(0, MAX_ERROR_LENGTH) });
}
