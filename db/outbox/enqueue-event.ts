/**
 * Writes a domain event to the transactional outbox. Call it with the transaction that makes the change the
 * event announces: the event exists exactly when the change does. The relay publishes it later
 * (claim-unpublished.ts); consumers de-duplicate on the event `id`.
 *
 * Pass `id` to make the write idempotent (e.g. an id derived from a job key): a second call with the same id
 * writes nothing and returns `created: false`.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isEventName, ValidationError, type EventName } from '../../shared/index.js';
import { TABLES } from '../types.js';

export interface EnqueueEventInput {
  name: EventName;
  permitId?: string | null;
  /** JSON object carried as the message body (RabbitMQ) and the stream's `data`. */
  payload: Record<string, unknown>;
  /** Event id; a random uuid when omitted. */
  id?: string;
  /** When it happened; now when omitted. */
  occurredAt?: Date;
}

export interface EnqueueEventResult {
  id: string;
  /** false when an event with this id was already in the outbox. */
  created: boolean;
}

export async function enqueueEvent(trx: Knex, input: EnqueueEventInput): Promise<EnqueueEventResult> {
  if (!isEventName(input.name)) throw new ValidationError(`Unknown event name '${String(input.name)}': use one of EVENTS (shared/events.ts)`, { field: 'name' });
  if (typeof input.payload !== 'object' || input.payload === null || Array.isArray(input.payload)) {
    throw new ValidationError(`Event ${input.name}: payload must be a JSON object`, { field: 'payload' });
  }
  if (input.id !== undefined && (typeof input.id !== 'string' || input.id.trim() === '' || input.id.length > 200)) {
    throw new ValidationError(`Event ${input.name}: id must be a non-empty string of at most 200 characters`, { field: 'id' });
  }
  let payload: string;
  try {
    payload = JSON.stringify(input.payload);
  } catch (err) {
    throw new ValidationError(`Event ${input.name}: payload is not JSON-safe: ${(err as Error).message}`, { field: 'payload' });
  }
  const id = input.id ?? randomUUID();
  const inserted = (await trx(TABLES.outboxEvents)
    .insert({ id, name: input.name, permit_id: input.permitId ?? null, payload, occurred_at: input.occurredAt ?? new Date() })
    .onConflict('id')
    .ignore()
    .returning('seq')) as unknown[];
  return { id, created: inserted.length > 0 };
}
