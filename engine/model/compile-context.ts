import { checkExpression, isExpression } from '../feel/index.js';
import type { UnsupportedElement } from './types.js';

/** Collects refusals while one resource is compiled. */
export class CompileContext {
  readonly errors: UnsupportedElement[] = [];

  constructor(readonly resourceName: string) {}

  refuse(elementId: string, reason: string): void {
    this.errors.push({ resourceName: this.resourceName, elementId, reason });
  }

  /**
   * Checks an expression attribute: FEEL (`=…`) must parse; `requireFeel` refuses static text where
   * Zeebe only takes an expression. Returns the text for chaining.
   */
  expression(elementId: string, attribute: string, text: string | undefined, requireFeel = false): string | undefined {
    if (text === undefined) return undefined;
    if (!isExpression(text)) {
      if (requireFeel) this.refuse(elementId, `${attribute} must be a FEEL expression starting with '=' (got '${text}')`);
      return text;
    }
    const problem = checkExpression(text);
    if (problem !== undefined) this.refuse(elementId, `${attribute} is not a valid FEEL expression '${text}': ${problem}`);
    return text;
  }
}
