import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../db/index.js';
import { createEventHub } from './event-hub.js';
import { makeOutboxEvent } from './testing/memory-outbox.js';

describe('event hub', () => {
  it('passes each event to every subscriber once, even when the relay hands it over again', async () => {
    const hub = createEventHub();
    const a: string[] = [];
    const b: string[] = [];
    hub.subscribe((e) => a.push(e.id));
    const unsubscribe = hub.subscribe((e) => b.push(e.id));
    const first = makeOutboxEvent();
    await hub.publish(first);
    await hub.publish(first);
    unsubscribe();
    const second = makeOutboxEvent();
    await hub.publish(second);
    expect(a).toEqual([first.id, second.id]);
    expect(b).toEqual([first.id]);
    expect(hub.subscribers).toBe(1);
  });

  it('keeps delivering to the others when one subscriber throws', async () => {
    const hub = createEventHub();
    const got: OutboxEvent[] = [];
    hub.subscribe(() => {
      throw new Error('broken socket');
    });
    hub.subscribe((e) => got.push(e));
    await hub.publish(makeOutboxEvent());
    expect(got).toHaveLength(1);
  });

  it('forgets the oldest ids beyond its memory', async () => {
    const hub = createEventHub({ rememberIds: 2 });
    const got: string[] = [];
    hub.subscribe((e) => got.push(e.id));
    const [e1, e2, e3] = [makeOutboxEvent(), makeOutboxEvent(), makeOutboxEvent()];
    for (const e of [e1, e2, e3, e1]) await hub.publish(e!);
    expect(got).toEqual([e1!.id, e2!.id, e3!.id, e1!.id]);
  });
});
