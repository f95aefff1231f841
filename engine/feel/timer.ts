import { FeelDateTime, FeelDuration, parseDateTime } from 'feelin';
import { ExpressionError, unexpectedType } from './expression-error.js';
import { evaluateRaw, expressionBody, isExpression } from './evaluate-expression.js';
import { dateTimeToEpochMs, resultTypeName } from './feel-values.js';
import { addIsoDuration, parseIsoDuration } from './iso-duration.js';
import { nextCronTime, parseCron } from './cron.js';
import { isIsoDateTime } from './typed-evaluators.js';

export interface TimerDefinition {
  timerType: 'duration' | 'date' | 'cycle';
  expression: string;
}

export interface TimerSchedule {
  /** Epoch milliseconds when the timer fires. */
  dueDate: number;
  /** How many more times it fires, including this one: 1 for a single timer, -1 for infinite. */
  repetitions: number;
  /** Cycles only: the ISO 8601 duration or cron expression between firings. */
  interval?: string;
}

export interface CycleSchedule extends TimerSchedule {
  interval: string;
}

function label(text: string): string {
  return isExpression(text) ? expressionBody(text) : text;
}

function invalid(text: string, what: string, value: unknown): ExpressionError {
  return new ExpressionError(`Invalid ${what} format '${String(value)}' for expression '${label(text)}'.`, label(text));
}

/** Evaluates a timer definition at `nowMs`. Throws ExpressionError for bad expressions or values. */
export function evaluateTimer(def: TimerDefinition, variables: Record<string, unknown>, nowMs: number): TimerSchedule {
  const { value, warnings } = evaluateRaw(def.expression, variables);
  switch (def.timerType) {
    case 'duration': {
      const text = value instanceof FeelDuration ? value.iso : value;
      if (typeof text !== 'string') throw unexpectedType(label(def.expression), 'DURATION', resultTypeName(value), warnings);
      const duration = parseIsoDuration(text);
      if (!duration) throw invalid(def.expression, 'duration', text);
      return { dueDate: Math.max(nowMs, addIsoDuration(nowMs, duration)), repetitions: 1 };
    }
    case 'date': {
      const dueDate = toEpochMs(value);
      if (dueDate === undefined) {
        if (typeof value === 'string') throw invalid(def.expression, 'date-time', value);
        throw unexpectedType(label(def.expression), 'DATE_TIME', resultTypeName(value), warnings);
      }
      return { dueDate, repetitions: 1 };
    }
    case 'cycle': {
      if (typeof value !== 'string') throw unexpectedType(label(def.expression), 'STRING', resultTypeName(value), warnings);
      return evaluateCycle(def.expression, value.trim(), nowMs);
    }
  }
}

/** Epoch ms of a date-time value with zone/offset (FEEL date and time or ISO text); undefined if it is none. */
function toEpochMs(value: unknown): number | undefined {
  if (value instanceof FeelDateTime) return value.zone === null ? undefined : dateTimeToEpochMs(value);
  if (typeof value !== 'string') return undefined;
  if (isIsoDateTime(value)) return Date.parse(value.replace(/\[.*\]$/, ''));
  const parsed = parseDateTime(value.trim());
  return parsed && parsed.zone !== null ? dateTimeToEpochMs(parsed) : undefined;
}

function evaluateCycle(expression: string, text: string, nowMs: number): CycleSchedule {
  if (/^R\d*\//.test(text)) {
    const parts = text.split('/');
    const count = parts[0]!.slice(1);
    const repetitions = count === '' ? -1 : Number(count);
    const intervalText = parts[parts.length - 1]!;
    const interval = parseIsoDuration(intervalText);
    if (parts.length > 3 || !interval || repetitions === 0) throw invalid(expression, 'cycle', text);
    if (parts.length === 3) {
      const start = toEpochMs(parts[1]);
      if (start === undefined) throw invalid(expression, 'cycle', text);
      return { dueDate: Math.max(start, nowMs), repetitions, interval: intervalText };
    }
    return { dueDate: addIsoDuration(nowMs, interval), repetitions, interval: intervalText };
  }
  let dueDate: number | undefined;
  try {
    dueDate = nextCronTime(parseCron(text), nowMs);
  } catch (error) {
    throw new ExpressionError(
      `Invalid cycle format '${text}' for expression '${label(expression)}': ${(error as Error).message}.`,
      label(expression),
    );
  }
  if (dueDate === undefined) throw invalid(expression, 'cycle', text);
  return { dueDate, repetitions: -1, interval: text };
}

/**
 * The next firing of a cycle after it fired at `nowMs` (counted from now, as Zeebe reschedules),
 * or undefined when the repetitions are used up.
 */
export function nextTimer(
  prev: { dueDate: number; repetitions: number; interval: string },
  nowMs: number,
): CycleSchedule | undefined {
  if (prev.repetitions !== -1 && prev.repetitions <= 1) return undefined;
  const repetitions = prev.repetitions === -1 ? -1 : prev.repetitions - 1;
  const duration = parseIsoDuration(prev.interval);
  const dueDate = duration
    ? addIsoDuration(nowMs, duration)
    : nextCronTime(parseCron(prev.interval), Math.max(nowMs, prev.dueDate));
  if (dueDate === undefined) return undefined;
  return { dueDate, repetitions, interval: prev.interval };
}
