import { toJsonValue } from '../feel/feel-values.js';

/** A decision could not be evaluated; `evaluate-decision.ts` turns it into the evaluation's `failure`, never a throw. */
export class DecisionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionFailure';
  }
}

/** A short, readable rendering of a value for failure messages. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  try {
    const json = toJsonValue(value);
    const text = typeof json === 'string' ? `"${json}"` : JSON.stringify(json) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
