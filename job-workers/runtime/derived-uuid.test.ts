import { describe, expect, it } from 'vitest';
import { derivedUuid } from './derived-uuid.js';

describe('derivedUuid', () => {
  it('gives the same RFC 9562 version 8 UUID for the same parts and another for other parts', () => {
    const id = derivedUuid('permit.publish-event', 'P-1', '2251799813685300', 'permit.setup.rejected');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUuid('permit.publish-event', 'P-1', '2251799813685300', 'permit.setup.rejected')).toBe(id);
    expect(derivedUuid('permit.publish-event', 'P-2', '2251799813685300', 'permit.setup.rejected')).not.toBe(id);
  });

  it('does not confuse parts that concatenate alike', () => {
    expect(derivedUuid('ab', 'c')).not.toBe(derivedUuid('a', 'bc'));
  });
});
