/**
 * Dates, times and date-times as a Camunda form (form-js) submits them, and the instant they mean.
 *
 * Shapes, from @bpmn-io/form-js-viewer 1.23 (`render/components/util/dateTimeUtil.js`: `serializeDate` is luxon's
 * `toISODate()`, `serializeTime` and `serializeDateTime` append the time; `formatTimezoneOffset` writes the offset):
 * - subtype `date`:      `2027-06-30`
 * - subtype `time`:      `23:59+01:00` (timeSerializingFormat `utc_offset`, `+00:00` for UTC), `22:59Z`
 *                        (`utc_normalized`), `23:59` (`no_timezone`)
 * - subtype `datetime`:  `2027-06-30T23:59+01:00`, `2027-06-30T22:59Z`, `2027-06-30T23:59` (the same three formats)
 * Values written by other clients in full ISO 8601 (seconds, fractions: `2027-06-30T23:59:59.999Z`) are accepted too.
 *
 * What a value means as an instant (the platform keeps instants in UTC):
 * - a date alone means the END of that day in UTC (`2027-06-30` → `2027-06-30T23:59:59.999Z`), as
 *   `POST /api/permits/{id}/amendments` and `permit.issue` have always read calendar dates: a permit valid until a
 *   day is valid all of that day;
 * - a date-time without offset (`no_timezone`) is read as UTC, the platform's one time zone (form-js cannot say which
 *   zone the reviewer meant; their forms use `utc_normalized` so this only concerns other clients).
 */

export type DatetimeSubtype = 'date' | 'time' | 'datetime';

const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?`;
const ZONE = String.raw`(Z|[+-]\d{2}:\d{2})?`;

const DATE_RE = new RegExp(`^${DATE}$`);
const TIME_RE = new RegExp(`^${TIME}${ZONE}$`);
const DATETIME_RE = new RegExp(`^${DATE}T${TIME}${ZONE}$`);

/** Examples used in messages, in the shapes the form renderer produces. */
export const FORM_DATE_EXAMPLES: Record<DatetimeSubtype, string> = {
  date: '2027-06-30',
  time: '23:59, 22:59Z or 23:59+01:00',
  datetime: '2027-06-30T23:59Z, 2027-06-30T23:59+01:00 or 2027-06-30T23:59',
};

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(utc(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour <= 23 && minute <= 59 && second <= 59;
}

/** Offset in minutes east of UTC, or undefined when the zone text is not a real offset (e.g. `+25:00`). */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** Milliseconds since the epoch of a UTC wall time (unlike Date.UTC, years 0–99 stay as they are). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function millis(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
}

/** Whether `value` is a form value of that datetime subtype (shape and calendar both checked). */
export function isFormTemporal(subtype: DatetimeSubtype, value: string): boolean {
  if (subtype === 'time') {
    const m = TIME_RE.exec(value);
    return m !== null && validTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0)) && offsetMinutes(m[5]) !== undefined;
  }
  return formDateToInstant(value, subtype) !== undefined;
}

/**
 * The instant a form date or date-time means (rules in the module comment), or undefined when `value` is not one.
 * `subtype` restricts the accepted shapes; without it both dates and date-times are accepted.
 */
export function formDateToInstant(value: string, subtype?: 'date' | 'datetime'): Date | undefined {
  if (subtype !== 'datetime') {
    const d = DATE_RE.exec(value);
    if (d) {
      const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
      return validDate(year, month, day) ? new Date(utc(year, month, day, 23, 59, 59, 999)) : undefined;
    }
  }
  if (subtype === 'date') return undefined;
  const m = DATETIME_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const offset = offsetMinutes(m[8]);
  if (!validDate(year, month, day) || !validTime(hour, minute, second) || offset === undefined) return undefined;
  return new Date(utc(year, month, day, hour, minute, second, millis(m[7])) - offset * 60_000);
}

/** `formDateToInstant` in UTC ISO form (`2027-06-30T22:59:00.000Z`), or undefined when `value` is not a date. */
export function formDateToUtcIso(value: string, subtype?: 'date' | 'datetime'): string | undefined {
  return formDateToInstant(value, subtype)?.toISOString();
}
