/**
 * Spring-style 6-field cron expressions (`second minute hour day-of-month month day-of-week`), which is
 * what Zeebe accepts as a timer cycle, evaluated in UTC. Supports `*`, `?`, lists, ranges, steps,
 * month/day names and the macros `@yearly`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`.
 * Day-of-month and day-of-week must both match (Spring semantics). `L`, `W` and `#` are not supported.
 */
export interface CronSchedule {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: Set<number>;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses a cron expression; throws an Error naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron expression '${expression}' must have 6 fields, found ${fields.length}`);
  const [s, mi, h, dom, mo, dow] = fields as [string, string, string, string, string, string];
  const daysOfWeek = parseField(dow, 0, 7, DAYS, 'day-of-week');
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    seconds: parseField(s, 0, 59, [], 'second'),
    minutes: parseField(mi, 0, 59, [], 'minute'),
    hours: parseField(h, 0, 23, [], 'hour'),
    daysOfMonth: parseField(dom, 1, 31, [], 'day-of-month'),
    months: parseField(mo, 1, 12, MONTHS, 'month', 1),
    daysOfWeek,
  };
}

function parseField(field: string, min: number, max: number, names: string[], label: string, nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const index = names.indexOf(token.toUpperCase());
    const n = index >= 0 ? index + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (Number.isNaN(n) || n < min || n > max) throw new Error(`invalid ${label} '${token}' in cron field '${field}'`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in cron field '${field}'`);
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) throw new Error(`invalid range '${range}' in cron field '${field}'`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** The first time strictly after `afterMs` matching the schedule (UTC), or undefined within ~5 years. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | undefined {
  const d = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const limit = afterMs + 5 * 366 * 86_400_000;
  while (d.getTime() <= limit) {
    if (!schedule.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.daysOfMonth.has(d.getUTCDate()) || !schedule.daysOfWeek.has(d.getUTCDay())) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else if (!schedule.seconds.has(d.getUTCSeconds())) {
      d.setUTCSeconds(d.getUTCSeconds() + 1, 0);
    } else {
      return d.getTime();
    }
  }
  return undefined;
}
