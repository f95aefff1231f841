/**
 * Column values as the drivers hand them over, and their plain forms: timestamps become ISO 8601 strings (UTC,
 * milliseconds), bigint columns numbers (PostgreSQL returns them as strings, PGlite as numbers). Every table's
 * mapper uses these.
 */

/** A timestamptz as a driver returns it (Date), or as text from a raw cast. */
export type TimestampValue = Date | string;
/** A bigint / bigserial as a driver returns it. */
export type BigIntValue = string | number;

/** A timestamp as an ISO 8601 string (UTC, milliseconds). */
export function toIso(value: TimestampValue): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a timestamp: ${String(value)}`);
  return date.toISOString();
}

export function toIsoOrNull(value: TimestampValue | null): string | null {
  return value === null ? null : toIso(value);
}

/** A bigint column as a number (safe: sequences here stay far below 2^53). */
export function toNumber(value: BigIntValue): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`Not a safe integer: ${String(value)}`);
  return n;
}
