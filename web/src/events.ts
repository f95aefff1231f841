/**
 * Live updates: one connection to `GET /api/events/stream` (Server-Sent Events) per tab, read with fetch so the
 * bearer token goes in the Authorization header (EventSource cannot send one). Pages subscribe and reload what
 * they show when an event about their permit arrives. After a drop or an expired token the stream reconnects with
 * the last event id, so nothing is missed.
 */
import { useEffect, useRef } from 'react';
import { accessToken, subscribe as subscribeSession } from './auth/session';
import { parseBlock } from './sse-block';

export interface LiveEvent {
  id: string;
  seq: number;
  name: string;
  permitId: string | null;
  occurredAt: string;
  payload: Record<string, unknown>;
}

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let running: AbortController | undefined;
let lastEventId: string | undefined;

function dispatch(event: LiveEvent): void {
  for (const listener of listeners) listener(event);
}

async function runStream(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const token = await accessToken();
    if (!token) return;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      const response = await fetch('/api/events/stream', { headers, signal });
      if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (block.id) lastEventId = block.id;
          if (block.data && block.event && block.event !== 'stream.expired') {
            try {
              dispatch(JSON.parse(block.data) as LiveEvent);
            } catch {
              // A block that is not an event (should not happen): skip it.
            }
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

function restart(): void {
  running?.abort();
  running = new AbortController();
  void runStream(running.signal);
}

/** Starts the stream for this tab (again after each sign-in). */
export function startLiveUpdates(): () => void {
  restart();
  let last: string | undefined;
  const unsubscribe = subscribeSession(() => {
    void accessToken().then((token) => {
      if (token && token !== last) {
        last = token;
        restart();
      }
    });
  });
  return () => {
    unsubscribe();
    running?.abort();
  };
}

/** Calls `onEvent` for each live event that passes `filter` (e.g. about one permit). */
export function useLiveEvents(onEvent: Listener, filter?: (event: LiveEvent) => boolean): void {
  const handler = useRef(onEvent);
  const test = useRef(filter);
  handler.current = onEvent;
  test.current = filter;
  useEffect(() => {
    const listener: Listener = (event) => {
      if (!test.current || test.current(event)) handler.current(event);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}
