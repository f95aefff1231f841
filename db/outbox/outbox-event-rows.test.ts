import { describe, expect, it } from 'vitest';
import { toOutboxEvent } from './outbox-event-rows.js';

const at = new Date('2026-04-01T08:30:00.123Z');

describe('outbox event rows', () => {
  it('map an event, its bigint seq as a number and an unpublished event with publishedAt null', () => {
    expect(toOutboxEvent({ seq: '3', id: 'u', name: 'permit.closed', permit_id: null, payload: {}, occurred_at: at, published_at: null, attempts: 0, last_error: null })).toMatchObject({ seq: 3, publishedAt: null });
  });
});
