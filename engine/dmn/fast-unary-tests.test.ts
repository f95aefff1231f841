import { unaryTest } from 'feelin';
import { describe, expect, it } from 'vitest';
import { fastUnaryTests } from './fast-unary-tests.js';

const numberTests = ['5', '-2.5', '< 10', '<= 10', '> 10', '>= 10', '[1..5]', '[1..5)', '(1..5]', ']1..5[', '[-3..0]', '1, 5, 9', '< 0, > 100', 'not(5)', 'not([1..5])', 'not(< 3, > 7)', 'null'];
const numbers = [-3, -2.5, 0, 1, 3, 5, 7, 9, 10, 11, 100, 101];
const stringTests = ['"a"', '"a","b"', '"a b", "c\\"d"', '< "m"', '>= "b"', '["b".."d"]', 'not("a")', 'not("a","b")', '""'];
const strings = ['a', 'b', 'c', 'd', 'e', 'z', 'a b', 'c"d', '', 'A'];

describe('fastUnaryTests answers as FEEL does', () => {
  it.each(numberTests)('%s on numbers', (text) => {
    const test = fastUnaryTests(text);
    expect(test).toBeDefined();
    for (const input of numbers) expect([input, test!(input)]).toEqual([input, unaryTest(text, { '?': input }).value]);
  });

  it.each(stringTests)('%s on strings', (text) => {
    const test = fastUnaryTests(text);
    expect(test).toBeDefined();
    for (const input of strings) expect([input, test!(input)]).toEqual([input, unaryTest(text, { '?': input }).value]);
  });

  it('booleans and null', () => {
    for (const text of ['true', 'false', 'null', 'not(true)']) {
      for (const input of [true, false, null]) expect([text, input, fastUnaryTests(text)!(input)]).toEqual([text, input, unaryTest(text, { '?': input }).value ?? false]);
    }
  });

  it('a comparison or interval with a value of another type is null (no match), as Camunda\'s FEEL has it', () => {
    expect(fastUnaryTests('>= 0')!('x')).toBeNull();
    expect(fastUnaryTests('[1..5]')!('3')).toBeNull();
    expect(fastUnaryTests('< "m"')!(3)).toBeNull();
    expect(fastUnaryTests('not(> 3)')!('x')).toBeNull();
    expect(fastUnaryTests('"x", > 3')!('x')).toBe(true);
    expect(fastUnaryTests('> 3')!(null)).toBeNull();
    expect(fastUnaryTests('"5"')!(5)).toBe(false);
  });

  it('leaves every other form to FEEL', () => {
    for (const text of ['? > 3', 'x', '>= limit', 'date("2024-01-01")', '> date("2024-01-01")', 'count(?) > 1', '[x..y]', '[5..1]', 'not(x)']) {
      expect(fastUnaryTests(text), text).toBeUndefined();
    }
  });
});
