import { parseUnaryTests, unaryTest } from 'feelin';
import { runFeel, syntaxProblem } from '../feel/feel-runner.js';
import { fastUnaryTests } from './fast-unary-tests.js';
import { guardTests } from './feel-type-guard.js';

/**
 * FEEL as DMN uses it: expressions (input expressions, output entries, literal expressions) and unary tests (input
 * entries, where `?` is the input value). Text is FEEL as written, without the `=` that BPMN attributes use.
 */

/** Why an expression does not parse, or undefined when it does. */
export function expressionProblem(text: string): string | undefined {
  return syntaxProblem(text);
}

/** An input entry that matches any value: `-`, or an empty cell. */
export function matchesAnything(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed === '-';
}

const unaryProblems = new Map<string, string | undefined>();

/** Why unary tests do not parse, or undefined when they do (`-` and empty always do). */
export function unaryTestsProblem(text: string): string | undefined {
  if (matchesAnything(text)) return undefined;
  if (unaryProblems.has(text)) return unaryProblems.get(text);
  let errorAt: number | undefined;
  let combined = false;
  parseUnaryTests(text, {}, undefined).iterate({
    enter(node) {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      if (node.name === 'SimplePositiveUnaryTest') {
        for (let parent = node.node.parent; parent; parent = parent.parent) {
          if (parent.name === 'Conjunction' || parent.name === 'Disjunction') combined = true;
        }
      }
    },
  });
  let problem: string | undefined;
  // `>= 1 and <= 3` is not FEEL (Camunda refuses it); feelin reads it and never matches.
  if (combined) problem = "tests cannot be joined with 'and' / 'or'; list alternatives with a comma, or write an interval ([1..3]) or an expression with ? (? >= 1 and ? <= 3)";
  if (problem === undefined && errorAt !== undefined) {
    try {
      unaryTest(text, { '?': null });
      problem = `syntax error at position ${errorAt}`;
    } catch (error) {
      problem = `${(error as Error).message} at position ${errorAt}`;
    }
  }
  if (unaryProblems.size >= 10_000) unaryProblems.clear();
  unaryProblems.set(text, problem);
  return problem;
}

/** Evaluates an expression to its raw FEEL value. Throws when FEEL cannot evaluate it. */
export function runExpression(text: string, variables: Record<string, unknown>): unknown {
  if (text.trim() === '') return null;
  return runFeel(text, variables).value;
}

/** Evaluates unary tests against `input` (`?`): true, false or null (no match). Throws when FEEL cannot evaluate them. */
export function runUnaryTests(text: string, input: unknown, variables: Record<string, unknown>): unknown {
  if (matchesAnything(text)) return true;
  const fast = fastUnaryTests(text);
  if (fast) return fast(input);
  const guarded = guardTests(text, input);
  if (!guarded.dropped) return unaryTest(text, { ...variables, '?': input }).value;
  // Some tests compared across types: they are null, so the rest decides whether the entry matches.
  const rest = guarded.text === '' ? null : unaryTest(guarded.text, { ...variables, '?': input }).value;
  if (guarded.negated) return rest === true ? false : null;
  return rest === true ? true : null;
}
