/**
 * A FEEL expression failed: it did not parse, it threw, or its result has the wrong type.
 * The message is written the way Zeebe writes it, because it ends up as an incident's `errorMessage`.
 */
export class ExpressionError extends Error {
  /** The expression as written, without the leading `=`. */
  readonly expression: string;

  constructor(message: string, expression: string) {
    super(message);
    this.name = 'ExpressionError';
    this.expression = expression;
  }
}

/** Zeebe's wording for "the expression could not be evaluated at all". */
export function failedToEvaluate(expression: string, reason: string): ExpressionError {
  return new ExpressionError(`failed to evaluate expression '${expression}': ${reason}`, expression);
}

/** Zeebe's wording for "the expression evaluated, but to the wrong type". */
export function unexpectedType(
  expression: string,
  expected: string,
  actual: string,
  warnings: readonly string[] = [],
): ExpressionError {
  let message = `Expected result of the expression '${expression}' to be '${expected}', but was '${actual}'.`;
  if (warnings.length > 0) {
    message += ` The evaluation reported the following warnings:\n${warnings.join('\n')}`;
  }
  return new ExpressionError(message, expression);
}
