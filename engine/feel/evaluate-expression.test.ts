import { afterEach, describe, expect, it } from 'vitest';
import {
  ExpressionError,
  checkExpression,
  evaluateExpression,
  isExpression,
  setFeelClock,
} from './index.js';

const vars = { x: 5, name: 'Ada', approved: true, order: { total: 120, items: [{ id: 1 }, { id: 2 }] }, nothing: null };

describe('isExpression', () => {
  it('treats text starting with = as FEEL and anything else as static', () => {
    expect(isExpression('=x')).toBe(true);
    expect(isExpression('x')).toBe(false);
    expect(isExpression(' =x')).toBe(false);
  });
});

describe('checkExpression', () => {
  it('accepts well-formed FEEL and static text', () => {
    expect(checkExpression('=order.total > 100 and approved')).toBeUndefined();
    expect(checkExpression('not FEEL (')).toBeUndefined();
  });

  it('reports syntax errors with a reason', () => {
    expect(checkExpression('=foo(')).toMatch(/FunctionInvocation/);
    expect(checkExpression('=x +')).toMatch(/position/);
    expect(checkExpression('=')).toMatch(/empty/);
  });
});

describe('evaluateExpression', () => {
  it('returns static text as it is', () => {
    expect(evaluateExpression('hello', vars)).toBe('hello');
  });

  it('evaluates variables, paths and literals', () => {
    expect(evaluateExpression('=x', vars)).toBe(5);
    expect(evaluateExpression('= order.total', vars)).toBe(120);
    expect(evaluateExpression('=true', vars)).toBe(true);
    expect(evaluateExpression('="text"', vars)).toBe('text');
    expect(evaluateExpression('=-1.5', vars)).toBe(-1.5);
  });

  it('evaluates comparisons on the fast path and through feelin alike', () => {
    expect(evaluateExpression('=x > 1', vars)).toBe(true);
    expect(evaluateExpression('=name = "Ada"', vars)).toBe(true);
    expect(evaluateExpression('=name != "Ada"', vars)).toBe(false);
    expect(evaluateExpression('=missing = null', vars)).toBe(true);
    expect(evaluateExpression('=x = "5"', vars)).toBeNull(); // FEEL: comparing across types is null
    expect(evaluateExpression('=order.total > 100 and count(order.items) = 2', vars)).toBe(true);
  });

  it('projects paths over lists as FEEL does', () => {
    expect(evaluateExpression('=order.items.id', vars)).toEqual([1, 2]);
  });

  it('evaluates missing variables and properties of null to null', () => {
    expect(evaluateExpression('=missing', vars)).toBeNull();
    expect(evaluateExpression('=nothing.deep', vars)).toBeNull();
    expect(evaluateExpression('=order.missing', vars)).toBeNull();
  });

  it('converts FEEL temporal values to ISO 8601 strings', () => {
    expect(evaluateExpression('=date("2026-03-01")', vars)).toBe('2026-03-01');
    expect(evaluateExpression('=date and time("2026-03-01T10:00:00Z")', vars)).toBe('2026-03-01T10:00:00Z');
    expect(evaluateExpression('=date and time("2026-03-01T10:00:00@Europe/Berlin")', vars)).toBe(
      '2026-03-01T10:00:00+01:00[Europe/Berlin]',
    );
    expect(evaluateExpression('=duration("P1DT2H")', vars)).toBe('P1DT2H');
    expect(evaluateExpression('=duration("P1Y")', vars)).toBe('P1Y');
  });

  it('converts nested lists and contexts', () => {
    expect(evaluateExpression('={a: x, b: [date("2026-01-01"), null]}', vars)).toEqual({ a: 5, b: ['2026-01-01', null] });
  });

  it('leaves date-like strings in variables as strings', () => {
    expect(evaluateExpression('=d', { d: '2026-01-01' })).toBe('2026-01-01');
    expect(evaluateExpression('={v: d}', { d: '2026-01-01T10:00:00Z' })).toEqual({ v: '2026-01-01T10:00:00Z' });
  });

  it('refuses ranges and functions as results', () => {
    expect(() => evaluateExpression('=[1..3]', vars)).toThrow(ExpressionError);
    expect(() => evaluateExpression('=function(a) a', vars)).toThrow(/function/);
  });

  it('throws a Zeebe-worded ExpressionError for bad syntax', () => {
    expect(() => evaluateExpression('=foo(', vars)).toThrow("failed to evaluate expression 'foo(': ");
  });

  it('gives the same answer from the cache on repeated evaluation', () => {
    for (let i = 0; i < 3; i++) {
      expect(evaluateExpression('=duration("PT1H")', vars)).toBe('PT1H');
      expect(evaluateExpression('=string(x) + name', { ...vars, x: i })).toBe(`${i}Ada`);
    }
  });

  it('does not share constant list results between calls', () => {
    const first = evaluateExpression('=[1, 2]', {}) as number[];
    first.push(3);
    expect(evaluateExpression('=[1, 2]', {})).toEqual([1, 2]);
  });
});

describe('setFeelClock', () => {
  afterEach(() => setFeelClock(undefined));

  it('makes now() and today() read the given clock', () => {
    setFeelClock(() => Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(evaluateExpression('=now()', {})).toBe('2030-01-02T03:04:05Z');
    expect(evaluateExpression('=today()', {})).toBe('2030-01-02');
    expect(evaluateExpression('=now() + duration("P1D")', {})).toBe('2030-01-03T03:04:05Z');
  });
});
