import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, FeelRange, FeelTime } from 'feelin';

/**
 * Conversions between FEEL values (as `feelin` produces them) and the plain JSON values the engine
 * stores as variables.
 */

/** Zeebe's `ResultType` name for a FEEL value, used in type-mismatch messages. */
export function resultTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'string') return 'STRING';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof FeelDateTime) return 'DATE_TIME';
  if (value instanceof FeelDuration) return value.yearsMonths ? 'PERIOD' : 'DURATION';
  if (value instanceof FeelDate || value instanceof FeelTime) return 'STRING';
  if (value instanceof FeelRange || value instanceof FeelFunction) return 'UNKNOWN';
  if (typeof value === 'object') return 'OBJECT';
  return 'UNKNOWN';
}

/** ISO 8601 text of a FEEL date and time, with offset; named zones keep their id in brackets (as Java prints it). */
export function dateTimeToIso(value: FeelDateTime): string {
  const zone = value.zone;
  if (zone === null || /^(Z|UTC|[+-]\d{2}:\d{2})$/.test(zone)) return value.iso;
  return value.unwrap().toZonedDateTime(zone).toString();
}

/** Epoch milliseconds of a FEEL date and time; a local (zone-less) one is read as UTC. */
export function dateTimeToEpochMs(value: FeelDateTime): number {
  return value.unwrap().toZonedDateTime(value.zone ?? 'UTC').epochMilliseconds;
}

/**
 * Converts a FEEL result to a JSON value: temporal values become ISO 8601 strings, lists and contexts
 * are converted deeply (always into new arrays/objects). Ranges and functions cannot be stored.
 * Throws a plain Error with the reason; callers wrap it into an ExpressionError.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    default:
      throw new Error(`a value of type '${typeof value}' cannot be stored as a variable`);
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof FeelDateTime) return dateTimeToIso(value);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) return value.iso;
  if (value instanceof FeelRange) throw new Error('a range cannot be stored as a variable');
  if (value instanceof FeelFunction) throw new Error('a function cannot be stored as a variable');
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) out[key] = toJsonValue(entry);
  return out;
}
