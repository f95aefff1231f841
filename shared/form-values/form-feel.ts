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
      return unaryTest(condition.slice(1), context).value === true;
    } catch {
      return false;
    }
  });
}

/** A schema setting that may be static or `=FEEL`; `undefined` when the expression fails (the rule is then skipped). */
export function settingValue(setting: unknown, context: Record<string, unknown>): unknown {
  if (typeof setting !== 'string' || !setting.startsWith('=')) return setting;
  try {
    return evaluate(setting.slice(1), context).value ?? undefined;
  } catch {
    return undefined;
  }
}
