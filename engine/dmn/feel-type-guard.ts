import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';

/**
 * FEEL compares values of the same type only: `"x" >= 0` and `"x" in [1..5]` are null (no match) in Camunda's FEEL
 * engine, where `feelin` compares them as JavaScript would (and matches). The guard finds the unary tests that
 * compare the input with a literal of another type, so that they count as null, as Camunda counts them.
 */

type FeelKind = 'number' | 'string' | 'boolean' | 'date' | 'time' | 'dateTime' | 'duration' | 'other';

export function kindOf(value: unknown): FeelKind {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDateTime) return 'dateTime';
  if (value instanceof FeelDuration) return 'duration';
  return 'other';
}

const LITERAL = String.raw`-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|(?:date and time|date|time|duration)\(\s*"[^"]*"\s*\)`;
const COMPARISON_RE = new RegExp(String.raw`^(?:<=|>=|<|>|!=|=)?\s*(${LITERAL})$`);
const INTERVAL_RE = new RegExp(String.raw`^[\[\]\(]\s*(${LITERAL})\s*\.\.\s*(${LITERAL})\s*[\[\]\)]$`);

function literalKind(text: string): FeelKind {
  if (text.startsWith('"')) return 'string';
  if (/^-?\d/.test(text)) return 'number';
  if (text.startsWith('date and time')) return 'dateTime';
  if (text.startsWith('date')) return 'date';
  if (text.startsWith('time')) return 'time';
  return 'duration';
}

/** Whether one unary test is a comparison or interval with literals of a kind other than `input`'s. */
function mismatched(test: string, input: FeelKind): boolean {
  const interval = INTERVAL_RE.exec(test);
  const literals = interval ? [interval[1]!, interval[2]!] : (COMPARISON_RE.exec(test)?.slice(1, 2) ?? []);
  return literals.length > 0 && literals.some((literal) => literalKind(literal) !== input);
}

/** Splits unary tests at their top-level commas (outside strings, brackets and parentheses). */
export function splitTests(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

export interface GuardedTests {
  /** The tests left to give to FEEL ('' when none is left). */
  text: string;
  /** Whether the text was negated (`not(...)`). */
  negated: boolean;
  /** Whether some tests were dropped as comparing across types. */
  dropped: boolean;
}

/** Drops the tests that compare `input` with literals of another type; null and non-scalar inputs are left to FEEL. */
export function guardTests(text: string, input: unknown): GuardedTests {
  const kind = kindOf(input);
  const notMatch = /^not\s*\(([\s\S]*)\)$/.exec(text.trim());
  const inner = notMatch ? notMatch[1]! : text;
  if (kind === 'other' || kind === 'boolean') return { text, negated: false, dropped: false };
  const parts = splitTests(inner);
  const kept = parts.filter((part) => !mismatched(part, kind));
  if (kept.length === parts.length) return { text, negated: false, dropped: false };
  return { text: kept.join(', '), negated: notMatch !== null, dropped: true };
}
