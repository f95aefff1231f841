import { toJsonValue } from '../feel/feel-values.js';
import { DecisionFailure, describeValue } from './decision-failure.js';
import type { DecisionTableLogic, TableOutput, TableRule } from './decision-logic.js';
import type { HitPolicy } from './types.js';

/** A matched rule with its output values (raw FEEL values), one per output in column order. */
export interface RuleHit {
  rule: TableRule;
  values: unknown[];
}

/** Which matched rules the audit reports: FIRST reports only the first, every other policy all of them. */
export function reportedHits<T>(hitPolicy: HitPolicy, hits: T[]): T[] {
  return hitPolicy === 'FIRST' ? hits.slice(0, 1) : hits;
}

/**
 * The table's result from its matched rules (at least one), as Camunda 8.8's DMN engine (dmn-scala) builds it: one
 * output column gives the value, several a context keyed by output name; single-hit policies give one such result,
 * multi-hit policies a list, COLLECT with an aggregation a number. Throws DecisionFailure when the policy is violated.
 */
export function applyHitPolicy(table: DecisionTableLogic, hits: RuleHit[]): unknown {
  const results = (list: RuleHit[]) => list.map((hit) => resultOf(table.outputs, hit.values));
  switch (table.hitPolicy) {
    case 'FIRST':
      return results(hits)[0];
    case 'UNIQUE':
      if (hits.length > 1) {
        throw new DecisionFailure(
          `hit policy UNIQUE allows one matching rule, but ${hits.length} rules match (${ruleList(hits)}); make the rules exclusive, or use hit policy FIRST, PRIORITY or COLLECT`,
        );
      }
      return results(hits)[0];
    case 'ANY': {
      const distinct = new Set(results(hits).map((result) => stableText(result)));
      if (distinct.size > 1) {
        throw new DecisionFailure(
          `hit policy ANY needs every matching rule to give the same output, but the matching rules ${ruleList(hits)} give different outputs (${[...distinct].join(', ')}); make them agree, or use hit policy FIRST or PRIORITY`,
        );
      }
      return results(hits)[0];
    }
    case 'PRIORITY':
      return results(byPriority(table.outputs, hits))[0];
    case 'OUTPUT ORDER':
      return results(byPriority(table.outputs, hits));
    case 'RULE ORDER':
      return results(hits);
    case 'COLLECT':
      return collect(table, hits, results(hits));
  }
}

function collect(table: DecisionTableLogic, hits: RuleHit[], results: unknown[]): unknown {
  if (table.aggregation === undefined) return results;
  if (table.aggregation === 'COUNT') return hits.length;
  const numbers = hits.map((hit) => {
    const value = hit.values[0];
    if (typeof value !== 'number') {
      throw new DecisionFailure(
        `hit policy COLLECT with aggregation ${table.aggregation} needs numbers, but rule '${hit.rule.id}' (#${hit.rule.index}) gives ${describeValue(value)}; make its output entry a number`,
      );
    }
    return value;
  });
  if (table.aggregation === 'SUM') return numbers.reduce((sum, value) => sum + value, 0);
  return table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
}

/** One output column → its value; several → a context keyed by output name. */
export function resultOf(outputs: TableOutput[], values: unknown[]): unknown {
  if (outputs.length === 1) return values[0] ?? null;
  const context: Record<string, unknown> = {};
  outputs.forEach((output, i) => {
    context[output.name ?? output.id] = values[i] ?? null;
  });
  return context;
}

/**
 * Sorts hits by the position of their output values in each output's `outputValues` (first output first); a value
 * not in the list, or not a string or number, comes after those that are. Stable, so ties keep rule order.
 */
function byPriority(outputs: TableOutput[], hits: RuleHit[]): RuleHit[] {
  const rank = (hit: RuleHit): number[] =>
    outputs.map((output, i) => {
      const value = hit.values[i];
      if (typeof value !== 'string' && typeof value !== 'number') return Number.MAX_SAFE_INTEGER;
      const position = output.priorities.indexOf(String(value));
      return position < 0 ? Number.MAX_SAFE_INTEGER : position;
    });
  return hits
    .map((hit) => ({ hit, rank: rank(hit) }))
    .sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
      return 0;
    })
    .map(({ hit }) => hit);
}

function ruleList(hits: RuleHit[]): string {
  return hits.map((hit) => `'${hit.rule.id}' (#${hit.rule.index})`).join(', ');
}

/** Text that is equal for equal outputs (FEEL temporals compared by their ISO text). */
function stableText(value: unknown): string {
  try {
    return JSON.stringify(toJsonValue(value));
  } catch {
    return String(value);
  }
}
