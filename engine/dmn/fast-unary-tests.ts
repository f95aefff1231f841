import { kindOf, splitTests } from './feel-type-guard.js';

/**
 * The unary tests decision tables are mostly made of, run without FEEL's parser: literals (`"a","b"`, `5`, `true`,
 * `null`), comparisons with a literal (`>= 18`, `< "m"`) and intervals between literals (`[1..5)`), a list of them,
 * and `not(...)` of those. Same answers as FEEL (the conformance of each form is tested against feelin), about a
 * hundred times quicker: `feelin` parses the text again on every call. Anything else returns undefined (use FEEL).
 */

/** true (match), false, or null (the test compares values of different types: no match, as FEEL says). */
type Test = (input: unknown) => boolean | null;

type Scalar = number | string;

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const SCALAR = `${NUMBER}|${STRING}`;
const COMPARISON_RE = new RegExp(`^(<=|>=|<|>)\\s*(${SCALAR})$`);
const INTERVAL_RE = new RegExp(`^([\\[\\]\\(])\\s*(${SCALAR})\\s*\\.\\.\\s*(${SCALAR})\\s*([\\[\\]\\)])$`);
const LITERAL_RE = new RegExp(`^(?:${SCALAR}|true|false|null)$`);
const NOT_RE = /^not\s*\(([\s\S]*)\)$/;

const MAX_CACHE = 10_000;
const cache = new Map<string, Test | undefined>();

/** The test for `text`, or undefined when it is not one of the simple forms. */
export function fastUnaryTests(text: string): Test | undefined {
  if (cache.has(text)) return cache.get(text);
  const test = compile(text.trim());
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(text, test);
  return test;
}

function compile(text: string): Test | undefined {
  const negated = NOT_RE.exec(text);
  const parts = splitTests(negated ? negated[1]! : text);
  const tests: Test[] = [];
  for (const part of parts) {
    const test = compileOne(part);
    if (!test) return undefined;
    tests.push(test);
  }
  const any: Test = (input) => {
    let unknown = false;
    for (const test of tests) {
      const result = test(input);
      if (result === true) return true;
      if (result === null) unknown = true;
    }
    return unknown ? null : false;
  };
  if (!negated) return any;
  return (input) => {
    const result = any(input);
    return result === null ? null : !result;
  };
}

function literal(text: string): Scalar | boolean | null | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return undefined;
    }
  }
  return Number(text);
}

function compileOne(text: string): Test | undefined {
  if (LITERAL_RE.test(text)) {
    const value = literal(text);
    if (value === undefined) return undefined;
    // Equality in a list of tests is two-valued: a value of another type is simply not equal.
    return (input) => (input === undefined ? null : input) === value;
  }
  const comparison = COMPARISON_RE.exec(text);
  if (comparison) {
    const op = comparison[1]!;
    const bound = literal(comparison[2]!) as Scalar | undefined;
    if (bound === undefined) return undefined;
    return (input) => {
      if (kindOf(input) !== typeof bound) return null;
      const value = input as Scalar;
      switch (op) {
        case '<': return value < bound;
        case '<=': return value <= bound;
        case '>': return value > bound;
        default: return value >= bound;
      }
    };
  }
  const interval = INTERVAL_RE.exec(text);
  if (interval) {
    const start = literal(interval[2]!) as Scalar | undefined;
    const end = literal(interval[3]!) as Scalar | undefined;
    if (start === undefined || end === undefined || typeof start !== typeof end || start > end) return undefined;
    const startIncluded = interval[1] === '[';
    const endIncluded = interval[4] === ']';
    return (input) => {
      if (kindOf(input) !== typeof start) return null;
      const value = input as Scalar;
      return (startIncluded ? value >= start : value > start) && (endIncluded ? value <= end : value < end);
    };
  }
  return undefined;
}
