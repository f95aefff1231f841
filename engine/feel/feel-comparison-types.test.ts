import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './index.js';
import { ExpressionError } from './expression-error.js';
import { evaluateCondition } from './typed-evaluators.js';

const value = (text: string, variables: Record<string, unknown> = {}): unknown => evaluateExpression(text, variables);

describe('FEEL comparisons across types', () => {
  it('are null, as in Camunda\'s FEEL engine', () => {
    expect(value('="x" >= 0')).toBeNull();
    expect(value('="10" > 9')).toBeNull();
    expect(value('=a < 5', { a: 'x' })).toBeNull();
    expect(value('=a in [1..5]', { a: '3' })).toBeNull();
    expect(value('=date("2026-12-07") > 3')).toBeNull();
  });

  it('keep their answers within one type', () => {
    expect(value('=a >= 0', { a: 3 })).toBe(true);
    expect(value('=a < "m"', { a: 'b' })).toBe(true);
    expect(value('=a in [1..5]', { a: 7 })).toBe(false);
    expect(value('=date("2026-12-07") > date("2026-01-01")')).toBe(true);
    expect(value('=[2..3] in [1..5]')).toBe(true);
  });

  it('do not fulfil a condition (a gateway then has no flow to take)', () => {
    expect(() => evaluateCondition('=amount >= 10', { amount: 'many' })).toThrow(ExpressionError);
  });
});
