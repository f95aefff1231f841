import { describe, expect, it } from 'vitest';
import { parseBlock } from './sse-block';

describe('one Server-Sent Events block', () => {
  it('reads the id, the event name and the data', () => {
    expect(parseBlock('id: 42\nevent: permit.status.updated\ndata: {"seq":42}')).toEqual({ id: '42', event: 'permit.status.updated', data: '{"seq":42}' });
  });

  it('joins data lines and skips comments such as heartbeats', () => {
    expect(parseBlock(': heartbeat\ndata: a\ndata: b')).toEqual({ data: 'a\nb' });
    expect(parseBlock(': connected')).toEqual({});
  });
});
