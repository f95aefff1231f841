/**
 * The FEEL a form schema carries (`conditional.hide`, `valuesExpression`, validation values written as `=…`),
 * evaluated the way form-js does: the text after `=` with feelin against the form's data.
 */
import { evaluate, unaryTest } from 'feelin';

/**
 * Whether any of the hide conditions holds. form-js evaluates a condition as a unary test and hides only on a
 * result of exactly `true`; an expression that fails to evaluate counts as not hiding (so its field stays checked).
 */
export function isHidden(conditions: readonly string[], context: Record<string, unknown>): boolean {
  return conditions.some((condition) => {
    if (!condition.startsWith('=')) return false;
    try {
      const expression = condition.slice(1);
      return simpleComparison(expression, context) ?? (unaryTest(expression, namedIn(expression, context)).value === true);
    } catch {
      return false;
    }
  });
}

/** A schema setting that may be static or `=FEEL`; `undefined` when the expression fails (the rule is then skipped). */
export function settingValue(setting: unknown, context: Record<string, unknown>): unknown {
  if (typeof setting !== 'string' || !setting.startsWith('=')) return setting;
  try {
    const expression = setting.slice(1);
    return evaluate(expression, namedIn(expression, context)).value ?? undefined;
  } catch {
    return undefined;
  }
}

// `name = "text"`, `name != "text"`, `name = null`, `name != null`: every hide condition of the platform's forms.
const SIMPLE_COMPARISON = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|=)\s*(?:null|"([^"\\]*)")\s*$/;
const FEEL_WORDS = new Set(['null', 'true', 'false', 'not', 'and', 'or', 'in', 'if', 'then', 'else', 'for', 'some', 'every', 'satisfies', 'return', 'between', 'instance', 'of', 'function', 'external']);

/**
 * The unary test of a comparison of one variable with a string literal (no escapes) or null, answered without
 * feelin when the variable is in `context` as a string or null; `undefined` (ask feelin) otherwise. feelin parses
 * and builds the expression on every call (about 0.1 ms each; a decision listener checks its form's few conditions
 * on every decision); for these operands its answer is plain equality: a string equals the same string (no Unicode
 * normalisation), null equals only null. Other types (FEEL compares a number with a string as null, which a unary
 * test then counts as a match), names feelin may resolve otherwise (absent from the context: a built-in such as
 * `date`; or the start of a longer name in the context) are left to feelin.
 */
function simpleComparison(expression: string, context: Record<string, unknown>): boolean | undefined {
  const match = SIMPLE_COMPARISON.exec(expression);
  if (!match) return undefined;
  const [, name, operator, text] = match as unknown as [string, string, '=' | '!=', string | undefined];
  if (FEEL_WORDS.has(name) || !Object.hasOwn(context, name)) return undefined;
  const value = context[name];
  if (value !== null && typeof value !== 'string') return undefined;
  // A longer name the text starts with (`x y` in `x y = null`, FEEL names may hold spaces) is feelin's to read.
  const head = expression.trimStart();
  for (const other of Object.keys(context)) if (other.length > name.length && head.startsWith(other)) return undefined;
  const equal = text === undefined ? value === null : value === text;
  return operator === '=' ? equal : !equal;
}

/**
 * The entries of `context` whose name occurs in the expression's text. feelin copies (and coerces) the whole
 * context and reads every name in it on each evaluation, and a decision listener's context is every process
 * variable of the instance (about 1 ms of CPU per decision, bench:api:review's profile). An entry whose name does not
 * occur in the text cannot be referred to (FEEL reaches a variable only by writing its name, spaces and all), so
 * leaving it out changes no result.
 */
function namedIn(expression: string, context: Record<string, unknown>): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const name of Object.keys(context)) {
    if (expression.includes(name)) named[name] = context[name];
  }
  return named;
}
