import { describe, expect, it } from 'vitest';
import { isHidden, settingValue } from './form-feel.js';

describe('form FEEL against a context of many variables', () => {
  // A listener's context is every process variable; only the ones an expression names are handed to feelin.
  const context: Record<string, unknown> = { decision: 'REJECTED', 'review round': 2, round: 7, permit: { status: 'SUBMITTED' }, limit: 5 };
  for (let i = 0; i < 50; i++) context[`other${i}`] = { nested: [i, { deep: 'x' }] };

  it('evaluates hide conditions on the names they use, names with spaces and paths included', () => {
    expect(isHidden(['=decision != "APPROVED"'], context)).toBe(true);
    expect(isHidden(['=decision = "APPROVED"'], context)).toBe(false);
    expect(isHidden(['=review round = 2'], context)).toBe(true);
    expect(isHidden(['=round = 7'], context)).toBe(true);
    expect(isHidden(['=permit.status = "SUBMITTED"'], context)).toBe(true);
    expect(isHidden(['=missing = null'], context)).toBe(true);
  });

  it('evaluates settings on the names they use', () => {
    expect(settingValue('=limit * 2', context)).toBe(10);
    expect(settingValue('=review round + round', context)).toBe(9);
    expect(settingValue(3, context)).toBe(3);
  });
});
