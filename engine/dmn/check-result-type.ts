import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import { DecisionFailure, describeValue } from './decision-failure.js';

/** What each built-in typeRef accepts (with or without the `feel:` prefix); other typeRefs accept anything. */
const CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  date: (value) => value instanceof FeelDate,
  time: (value) => value instanceof FeelTime,
  dateTime: (value) => value instanceof FeelDateTime,
  dayTimeDuration: (value) => value instanceof FeelDuration && !value.yearsMonths,
  yearMonthDuration: (value) => value instanceof FeelDuration && value.yearsMonths,
};

/**
 * Checks a decision's result against its `variable@typeRef`, as Camunda's DMN engine (dmn-scala) does: null always
 * passes, a built-in type must match, any other type is not checked. Throws DecisionFailure on a mismatch.
 */
export function checkResultType(value: unknown, typeRef: string | undefined): void {
  if (typeRef === undefined || value === null || value === undefined) return;
  const type = typeRef.replace(/^feel:/, '');
  const check = CHECKS[type];
  if (check && !check(value)) {
    throw new DecisionFailure(`its result ${describeValue(value)} is not of the declared type '${type}' (variable typeRef); fix the expression or the type`);
  }
}
