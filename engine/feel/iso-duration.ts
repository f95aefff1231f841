/**
 * ISO 8601 durations (`P1Y2M3DT4H5M6.5S`, `P2W`, `-PT5S`) as timers use them: years and months are
 * calendar units (added to the UTC date, clamping the day like Java's `ZonedDateTime.plus`), the rest
 * is exact time.
 */
export interface IsoDuration {
  negative: boolean;
  years: number;
  months: number;
  /** Weeks are folded into days. */
  days: number;
  /** Hours, minutes and seconds together. */
  milliseconds: number;
}

const DURATION_RE =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration; undefined when the text is not one. */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m || text.trim().endsWith('T')) return undefined;
  if (m.slice(2).every((part) => part === undefined)) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]!.replace(',', '.')));
  return {
    negative: m[1] === '-',
    years: n(2),
    months: n(3),
    days: n(4) * 7 + n(5),
    milliseconds: Math.round(((n(6) * 60 + n(7)) * 60 + n(8)) * 1000),
  };
}

/** Adds (or, for a negative duration, subtracts) the duration to an epoch time. */
export function addIsoDuration(epochMs: number, duration: IsoDuration): number {
  const sign = duration.negative ? -1 : 1;
  let result = epochMs;
  if (duration.years !== 0 || duration.months !== 0) {
    const d = new Date(epochMs);
    const totalMonths = d.getUTCFullYear() * 12 + d.getUTCMonth() + sign * (duration.years * 12 + duration.months);
    const year = Math.floor(totalMonths / 12);
    const month = totalMonths - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Math.min(d.getUTCDate(), lastDay);
    result = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  }
  return result + sign * (duration.days * 86_400_000 + duration.milliseconds);
}
