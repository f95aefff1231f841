import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluateTimer, nextTimer } from './index.js';
import { parseCron, nextCronTime } from './cron.js';
import { addIsoDuration, parseIsoDuration } from './iso-duration.js';

const NOW = Date.UTC(2026, 2, 1, 0, 0, 0); // 2026-03-01T00:00:00Z (a Sunday)
const iso = (ms: number): string => new Date(ms).toISOString();

describe('ISO 8601 durations', () => {
  it('parses all units', () => {
    expect(parseIsoDuration('P1Y2M3DT4H5M6S')).toEqual({
      negative: false, years: 1, months: 2, days: 3, milliseconds: (4 * 3600 + 5 * 60 + 6) * 1000,
    });
    expect(parseIsoDuration('PT0.5S')?.milliseconds).toBe(500);
    expect(parseIsoDuration('P2W')?.days).toBe(14);
    expect(parseIsoDuration('-PT5S')?.negative).toBe(true);
  });

  it('rejects non-durations', () => {
    for (const bad of ['P', 'PT', '5S', 'P1H', 'nonsense', 'P1DT']) expect(parseIsoDuration(bad)).toBeUndefined();
  });

  it('adds years and months in calendar terms, clamping the day', () => {
    expect(iso(addIsoDuration(Date.UTC(2026, 0, 31), parseIsoDuration('P1M')!))).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(addIsoDuration(Date.UTC(2024, 1, 29), parseIsoDuration('P1Y')!))).toBe('2025-02-28T00:00:00.000Z');
  });
});

describe('evaluateTimer', () => {
  it('schedules durations, including calendar years', () => {
    expect(evaluateTimer({ timerType: 'duration', expression: 'P1Y' }, {}, NOW)).toEqual({
      dueDate: Date.UTC(2027, 2, 1),
      repetitions: 1,
    });
    expect(evaluateTimer({ timerType: 'duration', expression: 'PT0.5S' }, {}, NOW).dueDate).toBe(NOW + 500);
    expect(evaluateTimer({ timerType: 'duration', expression: '=duration("PT1H")' }, {}, NOW).dueDate).toBe(NOW + 3_600_000);
    expect(evaluateTimer({ timerType: 'duration', expression: '=wait' }, { wait: 'P1D' }, NOW).dueDate).toBe(NOW + 86_400_000);
  });

  it('makes negative durations due now', () => {
    expect(evaluateTimer({ timerType: 'duration', expression: '-PT5M' }, {}, NOW).dueDate).toBe(NOW);
  });

  it('schedules dates with offset or zone, static or FEEL', () => {
    expect(evaluateTimer({ timerType: 'date', expression: '2027-01-01T00:00:00Z' }, {}, NOW).dueDate).toBe(Date.UTC(2027, 0, 1));
    expect(evaluateTimer({ timerType: 'date', expression: '2027-01-01T02:00:00+02:00' }, {}, NOW).dueDate).toBe(Date.UTC(2027, 0, 1));
    expect(
      evaluateTimer({ timerType: 'date', expression: '=date and time("2027-01-01T01:00:00@Europe/Berlin")' }, {}, NOW).dueDate,
    ).toBe(Date.UTC(2027, 0, 1));
  });

  it('refuses invalid timer values', () => {
    expect(() => evaluateTimer({ timerType: 'duration', expression: 'soon' }, {}, NOW)).toThrow(ExpressionError);
    expect(() => evaluateTimer({ timerType: 'date', expression: '2027-01-01T00:00:00' }, {}, NOW)).toThrow(ExpressionError);
    expect(() => evaluateTimer({ timerType: 'date', expression: '=x' }, { x: 1 }, NOW)).toThrow("but was 'NUMBER'");
    expect(() => evaluateTimer({ timerType: 'cycle', expression: 'R0/PT1S' }, {}, NOW)).toThrow(ExpressionError);
    expect(() => evaluateTimer({ timerType: 'cycle', expression: '* * *' }, {}, NOW)).toThrow(/6 fields/);
  });

  it('schedules repeating cycles', () => {
    expect(evaluateTimer({ timerType: 'cycle', expression: 'R5/PT10S' }, {}, NOW)).toEqual({
      dueDate: NOW + 10_000, repetitions: 5, interval: 'PT10S',
    });
    expect(evaluateTimer({ timerType: 'cycle', expression: 'R/PT1H' }, {}, NOW).repetitions).toBe(-1);
    expect(evaluateTimer({ timerType: 'cycle', expression: 'R3/2027-01-01T00:00:00Z/PT1H' }, {}, NOW)).toEqual({
      dueDate: Date.UTC(2027, 0, 1), repetitions: 3, interval: 'PT1H',
    });
  });

  it('schedules cron cycles on the next matching second (UTC)', () => {
    const timer = evaluateTimer({ timerType: 'cycle', expression: '0 0 9 * * MON-FRI' }, {}, NOW);
    expect(iso(timer.dueDate)).toBe('2026-03-02T09:00:00.000Z');
    expect(timer.repetitions).toBe(-1);
  });
});

describe('nextTimer', () => {
  it('counts down repetitions and stops when exhausted', () => {
    const first = evaluateTimer({ timerType: 'cycle', expression: 'R2/PT10S' }, {}, NOW);
    const second = nextTimer({ ...first, interval: first.interval! }, first.dueDate);
    expect(second).toEqual({ dueDate: first.dueDate + 10_000, repetitions: 1, interval: 'PT10S' });
    expect(nextTimer(second!, second!.dueDate)).toBeUndefined();
  });

  it('repeats infinite cycles forever', () => {
    expect(nextTimer({ dueDate: NOW, repetitions: -1, interval: 'PT1H' }, NOW)?.repetitions).toBe(-1);
  });

  it('moves cron cycles to the next match', () => {
    const next = nextTimer({ dueDate: Date.UTC(2026, 2, 6, 9), repetitions: -1, interval: '0 0 9 * * MON-FRI' }, Date.UTC(2026, 2, 6, 9));
    expect(iso(next!.dueDate)).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('cron', () => {
  it('supports lists, steps, names and macros', () => {
    expect(iso(nextCronTime(parseCron('*/15 * * * * *'), NOW)!)).toBe('2026-03-01T00:00:15.000Z');
    expect(iso(nextCronTime(parseCron('0 30 8,17 * * *'), NOW)!)).toBe('2026-03-01T08:30:00.000Z');
    expect(iso(nextCronTime(parseCron('0 0 0 1 JAN ?'), NOW)!)).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(nextCronTime(parseCron('@hourly'), NOW)!)).toBe('2026-03-01T01:00:00.000Z');
    expect(iso(nextCronTime(parseCron('0 0 12 * * 7'), NOW)!)).toBe('2026-03-01T12:00:00.000Z');
  });

  it('rejects unsupported syntax', () => {
    expect(() => parseCron('0 0 0 L * *')).toThrow(/day-of-month/);
    expect(() => parseCron('0 60 * * * *')).toThrow(/minute/);
  });
});
