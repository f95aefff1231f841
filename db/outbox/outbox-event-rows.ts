/**
 * The rows of `outbox_events`, beside `enqueueEvent` (the only writer) and the relay's `claimUnpublished`.
 */
import type { EventName } from '../../shared/index.js';
import { toIso, toIsoOrNull, toNumber, type BigIntValue, type TimestampValue } from '../columns.js';

export interface OutboxEventRow {
  seq: BigIntValue;
  id: string;
  name: EventName;
  permit_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: TimestampValue;
  published_at: TimestampValue | null;
  attempts: number;
  last_error: string | null;
}

export interface OutboxEvent {
  seq: number;
  /** Event id (uuid); consumers de-duplicate on it. */
  id: string;
  name: EventName;
  permitId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export function toOutboxEvent(row: OutboxEventRow): OutboxEvent {
  return {
    seq: toNumber(row.seq),
    id: row.id,
    name: row.name,
    permitId: row.permit_id,
    payload: row.payload,
    occurredAt: toIso(row.occurred_at),
    publishedAt: toIsoOrNull(row.published_at),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
