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
      return unaryTest(expression, namedIn(expression, context)).value === true;
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
