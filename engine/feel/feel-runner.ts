import { FeelFunction, date, dateAndTime, evaluate, parseExpression } from 'feelin';
// Bounds FEEL's loops over ranges for every evaluation in the process (feelin's own and engine/dmn's).
import './feel-iteration-budget.js';
// Comparisons across types are null, as in Camunda's FEEL engine (feelin would compare them as JavaScript does).
import './feel-comparison-types.js';

/**
 * Runs FEEL expressions through `feelin`, with a per-text cache of how to evaluate them.
 *
 * `feelin` re-parses on every call (tens to hundreds of microseconds), so the most frequent shapes
 * are evaluated directly: a variable path (`a.b.c`), a literal, and `path <op> literal`. Expressions
 * that read no variables (`duration("PT1H")`, `"x" + "y"`) are evaluated once and remembered.
 * Everything else, and every fast-path case whose values would need FEEL's special rules
 * (lists in paths, comparisons across types), goes to `feelin`.
 */

export interface FeelOutcome {
  /** Raw FEEL value (may be a feelin temporal, range or function). */
  value: unknown;
  /** Warnings as Zeebe prints them: `[TYPE] message`. */
  warnings: string[];
}

type Runner = (body: string, variables: Record<string, unknown>) => FeelOutcome;

const FALLBACK = Symbol('fallback');

const KEYWORDS = new Set([
  'true', 'false', 'null', 'not', 'and', 'or', 'for', 'if', 'then', 'else', 'some', 'every', 'in',
  'return', 'satisfies', 'instance', 'of', 'between', 'function', 'external',
]);

/** Built-ins whose result depends only on their arguments (so a call to them keeps an expression constant). */
const PURE_BUILTINS = new Set([
  'date', 'time', 'date and time', 'duration', 'years and months duration', 'string', 'number',
  'upper case', 'lower case', 'substring', 'string length', 'contains', 'starts with', 'ends with',
  'split', 'string join', 'concatenate', 'count', 'sum', 'min', 'max', 'append', 'list contains',
  'abs', 'floor', 'ceiling', 'decimal', 'round half up', 'round down', 'round up', 'context',
]);

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const PATH_RE = new RegExp(`^${IDENT}(?:\\.${IDENT})*$`);
const NUMBER_RE = /^-?\d+(?:\.\d+)?$/;
const STRING_RE = /^"[^"\\]*"$/;
const COMPARISON_RE = new RegExp(`^(${IDENT}(?:\\.${IDENT})*)\\s*(!=|<=|>=|=|<|>)\\s*(.+)$`);

const MAX_CACHE = 10_000;
const cache = new Map<string, Runner>();

export function runFeel(body: string, variables: Record<string, unknown>): FeelOutcome {
  let runner = cache.get(body);
  if (!runner) {
    runner = compile(body.trim());
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(body, runner);
  }
  return runner(body, variables);
}

/** Parse-only check; returns the parser's complaint or undefined when the expression is well formed. */
export function syntaxProblem(body: string): string | undefined {
  let errorAt: number | undefined;
  parseExpression(body, {}, undefined).iterate({
    enter(node) {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
    },
  });
  if (body.trim() === '') return 'the expression is empty';
  if (errorAt === undefined) return undefined;
  try {
    evaluate(body, {});
  } catch (error) {
    return `${(error as Error).message} at position ${errorAt}`;
  }
  return `syntax error at position ${errorAt}`;
}

let clock: (() => number) | undefined;

/**
 * Makes FEEL's `now()` and `today()` read the engine's (controllable) clock instead of the system
 * clock. Pass undefined to go back to the system clock.
 */
export function setFeelClock(nowMs: (() => number) | undefined): void {
  clock = nowMs;
}

const CLOCK_CALL_RE = /\b(?:now|today)\s*\(/;

function withClock(body: string, variables: Record<string, unknown>): Record<string, unknown> {
  if (!clock || !CLOCK_CALL_RE.test(body)) return variables;
  const iso = new Date(clock()).toISOString();
  return {
    ...variables,
    now: new FeelFunction(() => dateAndTime(iso), []),
    today: new FeelFunction(() => date(iso.slice(0, 10)), []),
  };
}

function viaFeelin(body: string, variables: Record<string, unknown>): FeelOutcome {
  const result = evaluate(body, withClock(body, variables));
  return { value: result.value, warnings: result.warnings.map((w) => `[${w.type}] ${w.message}`) };
}

function compile(text: string): Runner {
  const literal = parseLiteral(text);
  if (literal !== FALLBACK) return () => ({ value: literal, warnings: [] });
  if (PATH_RE.test(text) && !hasKeyword(text)) {
    const path = text.split('.');
    return (body, variables) => {
      const outcome = lookupPath(path, variables);
      return outcome === FALLBACK ? viaFeelin(body, variables) : outcome;
    };
  }
  const comparison = COMPARISON_RE.exec(text);
  if (comparison && !hasKeyword(comparison[1]!)) {
    const right = parseLiteral(comparison[3]!.trim());
    if (right !== FALLBACK) {
      const path = comparison[1]!.split('.');
      const op = comparison[2]!;
      return (body, variables) => {
        const left = lookupPath(path, variables);
        if (left !== FALLBACK) {
          const value = compare(left.value, op, right);
          if (value !== FALLBACK) return { value, warnings: left.warnings };
        }
        return viaFeelin(body, variables);
      };
    }
  }
  if (readsNoVariables(text)) {
    let constant: FeelOutcome | undefined;
    return (body, variables) => (constant ??= viaFeelin(body, variables));
  }
  return viaFeelin;
}

function hasKeyword(path: string): boolean {
  return path.split('.').some((segment) => KEYWORDS.has(segment));
}

function parseLiteral(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (NUMBER_RE.test(text)) return Number(text);
  if (STRING_RE.test(text)) return text.slice(1, -1);
  return FALLBACK;
}

function isPlainContext(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function lookupPath(path: readonly string[], variables: Record<string, unknown>): FeelOutcome | typeof FALLBACK {
  let current: unknown = variables;
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!;
    if (!isPlainContext(current)) {
      if (current === null || current === undefined) {
        return { value: null, warnings: [`[NO_PROPERTY_FOUND] Property '${name}' not found in 'null'`] };
      }
      return FALLBACK;
    }
    if (!Object.hasOwn(current, name)) {
      const warning = i === 0
        ? `[NO_VARIABLE_FOUND] Variable '${name}' not found`
        : `[NO_PROPERTY_FOUND] Property '${name}' not found`;
      return { value: null, warnings: [warning] };
    }
    current = current[name];
  }
  if (current === undefined) return { value: null, warnings: [] };
  // Values FEEL would convert (JS Date) or that are not JSON: let feelin decide.
  if (typeof current === 'object' && current !== null && !Array.isArray(current) && !isPlainContext(current)) {
    return FALLBACK;
  }
  return { value: current, warnings: [] };
}

function compare(left: unknown, op: string, right: unknown): unknown {
  if (op === '=' || op === '!=') {
    if (right === null || left === null) {
      const equal = left === right;
      return op === '=' ? equal : !equal;
    }
    if (typeof left !== typeof right || typeof left === 'object') return FALLBACK;
    return op === '=' ? left === right : left !== right;
  }
  if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) return FALLBACK;
  const l = left as number | string;
  const r = right as number | string;
  switch (op) {
    case '<': return l < r;
    case '>': return l > r;
    case '<=': return l <= r;
    default: return l >= r;
  }
}

/** True when the expression names no variable other than pure built-in functions it calls. */
function readsNoVariables(text: string): boolean {
  let pure = true;
  let hasError = false;
  parseExpression(text, {}, undefined).iterate({
    enter(node) {
      if (node.type.isError) hasError = true;
      if (node.name === 'VariableName') {
        const isCallee = node.node.parent?.name === 'FunctionInvocation' && node.node.prevSibling === null;
        if (!isCallee || !PURE_BUILTINS.has(text.slice(node.from, node.to).replace(/\s+/g, ' '))) pure = false;
      }
      return pure;
    },
  });
  return pure && !hasError;
}
