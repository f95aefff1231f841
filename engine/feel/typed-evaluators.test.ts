import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  evaluateCondition,
  evaluateList,
  evaluateNumber,
  evaluateOptionalDateTime,
  evaluateString,
  evaluateStringList,
} from './index.js';

const vars = { x: 5, s: 'a,b', list: ['u1', 'u2'], mixed: ['a', 1], due: '2026-05-01T12:00:00+02:00' };

describe('evaluateCondition', () => {
  it('returns booleans', () => {
    expect(evaluateCondition('=x > 1', vars)).toBe(true);
    expect(evaluateCondition('=x < 1', vars)).toBe(false);
  });

  it('refuses non-boolean results with Zeebe wording and warnings', () => {
    expect(() => evaluateCondition('=y > 1', vars)).toThrow(ExpressionError);
    expect(() => evaluateCondition('=missing', vars)).toThrow(
      "Expected result of the expression 'missing' to be 'BOOLEAN', but was 'NULL'.",
    );
    expect(() => evaluateCondition('=missing', vars)).toThrow(/NO_VARIABLE_FOUND/);
    expect(() => evaluateCondition('=x', vars)).toThrow("to be 'BOOLEAN', but was 'NUMBER'.");
  });
});

describe('evaluateString', () => {
  it('returns static text and FEEL strings', () => {
    expect(evaluateString('job-type', vars)).toBe('job-type');
    expect(evaluateString('="job-" + string(x)', vars)).toBe('job-5');
  });

  it('converts numbers to strings as Zeebe does for correlation keys', () => {
    expect(evaluateString('=x', vars)).toBe('5');
    expect(evaluateString('=1.5', vars)).toBe('1.5');
  });

  it('refuses other types', () => {
    expect(() => evaluateString('=true', vars)).toThrow("to be 'STRING', but was 'BOOLEAN'.");
    expect(() => evaluateString('=missing', vars)).toThrow("but was 'NULL'.");
  });
});

describe('evaluateNumber', () => {
  it('reads static numbers and FEEL numbers', () => {
    expect(evaluateNumber('3', vars)).toBe(3);
    expect(evaluateNumber('=x * 2', vars)).toBe(10);
  });

  it('refuses non-numbers', () => {
    expect(() => evaluateNumber('three', vars)).toThrow(ExpressionError);
    expect(() => evaluateNumber('="3"', vars)).toThrow("to be 'NUMBER', but was 'STRING'.");
  });
});

describe('evaluateList', () => {
  it('returns lists as JSON values', () => {
    expect(evaluateList('=list', vars)).toEqual(['u1', 'u2']);
    expect(evaluateList('=[date("2026-01-01")]', vars)).toEqual(['2026-01-01']);
  });

  it('refuses non-lists', () => {
    expect(() => evaluateList('=s', vars)).toThrow("Expected result of the expression 's' to be 'ARRAY', but was 'STRING'.");
  });
});

describe('evaluateStringList', () => {
  it('splits static comma lists', () => {
    expect(evaluateStringList('a, b ,c', vars)).toEqual(['a', 'b', 'c']);
    expect(evaluateStringList('', vars)).toEqual([]);
  });

  it('accepts FEEL lists of strings and FEEL comma strings', () => {
    expect(evaluateStringList('=list', vars)).toEqual(['u1', 'u2']);
    expect(evaluateStringList('=s', vars)).toEqual(['a', 'b']);
  });

  it('refuses lists with non-strings and other types', () => {
    expect(() => evaluateStringList('=mixed', vars)).toThrow(ExpressionError);
    expect(() => evaluateStringList('=x', vars)).toThrow("to be 'ARRAY', but was 'NUMBER'.");
  });
});

describe('evaluateOptionalDateTime', () => {
  it('returns undefined for blank text and null results', () => {
    expect(evaluateOptionalDateTime('', vars)).toBeUndefined();
    expect(evaluateOptionalDateTime('=missing', vars)).toBeUndefined();
  });

  it('accepts ISO date-times with offset, static or FEEL', () => {
    expect(evaluateOptionalDateTime('2026-05-01T10:00:00Z', vars)).toBe('2026-05-01T10:00:00Z');
    expect(evaluateOptionalDateTime('=due', vars)).toBe('2026-05-01T12:00:00+02:00');
    expect(evaluateOptionalDateTime('=date and time("2026-05-01T10:00:00Z") + duration("P1D")', vars)).toBe(
      '2026-05-02T10:00:00Z',
    );
  });

  it('refuses dates without offset and other values', () => {
    expect(() => evaluateOptionalDateTime('2026-05-01T10:00:00', vars)).toThrow(ExpressionError);
    expect(() => evaluateOptionalDateTime('tomorrow', vars)).toThrow(ExpressionError);
    expect(() => evaluateOptionalDateTime('=x', vars)).toThrow("to be 'DATE_TIME', but was 'NUMBER'.");
  });
});
