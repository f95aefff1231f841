/**
 * FEEL compares values of one type only. In Camunda's FEEL engine `"x" >= 0`, `"10" > 9` and `"b" in [1..5]` are
 * null (a comparison that cannot be made), so a gateway condition written so is not fulfilled. `feelin` compares
 * such values as JavaScript would (`"x" >= 0` is true) except for dates and times, which it already keeps apart.
 * Every `<`, `<=`, `>`, `>=` and interval test goes through `FeelRange.prototype.includes`; this module wraps it so
 * that a value of another type than the range's bounds is null, for every FEEL evaluation in the process (BPMN
 * expressions here and decision tables in engine/dmn). Loaded by feel-runner.ts.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime } from 'feelin';

/** The FEEL type name feelin gives a range's bounds (`valueType`), for a value. */
export function feelTypeOf(value: unknown): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof FeelDateTime) return 'date time';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDuration) return 'duration';
  if (Array.isArray(value)) return 'list';
  return 'context';
}

type Includes = (this: FeelRange, value: unknown) => boolean | null;

const prototype = FeelRange.prototype as unknown as { includes: Includes; sameTypeOnly?: true };

if (!prototype.sameTypeOnly) {
  const includes = prototype.includes;
  prototype.includes = function includesSameType(this: FeelRange, value: unknown): boolean | null {
    const rangeType = (this as unknown as { valueType: string | null }).valueType;
    if (rangeType !== null && value !== null && value !== undefined && !(value instanceof FeelRange) && feelTypeOf(value) !== rangeType) {
      return null;
    }
    return includes.call(this, value);
  };
  prototype.sameTypeOnly = true;
}
