import { FeelDateTime } from 'feelin';
import { unexpectedType } from './expression-error.js';
import { evaluateRaw, expressionBody, isExpression } from './evaluate-expression.js';
import { dateTimeToIso, resultTypeName, toJsonValue } from './feel-values.js';

/**
 * Evaluators that insist on a result type, failing with Zeebe's message
 * "Expected result of the expression '…' to be 'T', but was 'U'."
 */

function mismatch(text: string, expected: string, value: unknown, warnings: string[]): never {
  throw unexpectedType(isExpression(text) ? expressionBody(text) : text, expected, resultTypeName(value), warnings);
}

/** Sequence flow conditions, completion conditions: must be a boolean. */
export function evaluateCondition(text: string, variables: Record<string, unknown>): boolean {
  if (!isExpression(text)) {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return mismatch(text, 'BOOLEAN', text, []);
  }
  const { value, warnings } = evaluateRaw(text, variables);
  if (typeof value !== 'boolean') mismatch(text, 'BOOLEAN', value, warnings);
  return value;
}

/**
 * Job types, message names, correlation keys, assignees, process ids: a string. A number is accepted
 * and converted (as Zeebe does for correlation keys).
 */
export function evaluateString(text: string, variables: Record<string, unknown>): string {
  if (!isExpression(text)) return text;
  const { value, warnings } = evaluateRaw(text, variables);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return mismatch(text, 'STRING', value, warnings);
}

/** Retries, priority: a number (static text is read as a number). */
export function evaluateNumber(text: string, variables: Record<string, unknown>): number {
  if (!isExpression(text)) {
    const parsed = text.trim() === '' ? Number.NaN : Number(text);
    if (Number.isNaN(parsed)) mismatch(text, 'NUMBER', text, []);
    return parsed;
  }
  const { value, warnings } = evaluateRaw(text, variables);
  if (typeof value !== 'number') mismatch(text, 'NUMBER', value, warnings);
  return value;
}

/** Multi-instance input collections: a list, converted to JSON values. */
export function evaluateList(text: string, variables: Record<string, unknown>): unknown[] {
  const { value, warnings } = evaluateRaw(text, variables);
  if (!Array.isArray(value)) return mismatch(text, 'ARRAY', value, warnings);
  return toJsonValue(value) as unknown[];
}

function splitCommaList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Candidate groups/users: static "a, b", a FEEL list of strings, or a FEEL string "a,b". */
export function evaluateStringList(text: string, variables: Record<string, unknown>): string[] {
  if (!isExpression(text)) return splitCommaList(text);
  const { value, warnings } = evaluateRaw(text, variables);
  if (typeof value === 'string') return splitCommaList(value);
  if (!Array.isArray(value)) return mismatch(text, 'ARRAY', value, warnings);
  if (!value.every((item): item is string => typeof item === 'string')) {
    return mismatch(text, 'ARRAY', value.find((item) => typeof item !== 'string'), warnings);
  }
  return value;
}

const ISO_DATE_TIME_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})(?:\[[A-Za-z0-9_/+-]+\])?$/;

/** True for an ISO 8601 date-time with offset (`2026-01-01T10:00:00Z`, `…+02:00`, `…+01:00[Europe/Berlin]`). */
export function isIsoDateTime(text: string): boolean {
  return ISO_DATE_TIME_WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text.replace(/\[.*\]$/, '')));
}

/**
 * Due and follow-up dates: an ISO 8601 date-time with offset, or undefined when blank or null.
 */
export function evaluateOptionalDateTime(text: string, variables: Record<string, unknown>): string | undefined {
  if (text.trim() === '') return undefined;
  const { value, warnings } = evaluateRaw(text, variables);
  if (value === null || value === undefined) return undefined;
  if (value instanceof FeelDateTime && value.zone !== null) return dateTimeToIso(value);
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    if (isIsoDateTime(value)) return value;
  }
  return mismatch(text, 'DATE_TIME', value, warnings);
}
