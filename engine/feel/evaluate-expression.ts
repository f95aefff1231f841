import { ExpressionError, failedToEvaluate } from './expression-error.js';
import { runFeel, syntaxProblem, type FeelOutcome } from './feel-runner.js';
import { toJsonValue } from './feel-values.js';

/** A string starting with `=` is a FEEL expression; anything else is a static value. */
export function isExpression(text: string): boolean {
  return text.startsWith('=');
}

/** The FEEL body of an expression (text after `=`), used in messages and for evaluation. */
export function expressionBody(text: string): string {
  return text.slice(1).trim();
}

const syntaxCache = new Map<string, string | undefined>();

/**
 * Parse-only check for deploy-time validation. Returns why the FEEL syntax is invalid, or undefined
 * when the text is fine (static text is always fine).
 */
export function checkExpression(text: string): string | undefined {
  if (!isExpression(text)) return undefined;
  if (syntaxCache.has(text)) return syntaxCache.get(text);
  const problem = syntaxProblem(expressionBody(text));
  syntaxCache.set(text, problem);
  return problem;
}

/**
 * Evaluates to the raw FEEL value (feelin temporals kept as they are). Static text → the text itself.
 * Throws ExpressionError when FEEL fails.
 */
export function evaluateRaw(text: string, variables: Record<string, unknown>): FeelOutcome {
  if (!isExpression(text)) return { value: text, warnings: [] };
  const body = expressionBody(text);
  try {
    return runFeel(body, variables);
  } catch (error) {
    throw failedToEvaluate(body, (error as Error).message);
  }
}

/**
 * Evaluates static text or a FEEL expression to a plain JSON value: FEEL dates, times and
 * date-times become ISO 8601 strings, durations ISO 8601 duration strings. Missing variables are
 * null, as FEEL defines. Ranges and functions cannot be stored and raise an ExpressionError.
 */
export function evaluateExpression(text: string, variables: Record<string, unknown>): unknown {
  const { value } = evaluateRaw(text, variables);
  try {
    return toJsonValue(value);
  } catch (error) {
    throw failedToEvaluate(expressionBody(text), (error as Error).message);
  }
}

export { ExpressionError };
