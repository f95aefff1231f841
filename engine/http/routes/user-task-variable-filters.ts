/**
 * The user-task search filters `processInstanceVariables` and `localVariables` (Camunda 8.8): each entry
 * `{ name, value }` matches tasks whose process instance (or the task's own element instance) holds a variable
 * of that name whose JSON text matches `value` (a plain string or the advanced string operators). Entries are
 * ANDed. They are resolved to a set of process-instance (or element-instance) keys, added as an `$in` filter.
 *
 * Open tasks (`state: "CREATED"`) belong to running instances, whose variables the engine holds in memory: plain
 * values are matched there, without a scan of the variable history. Other searches ask the store.
 */
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.js';
import type { FieldFilter } from '../../store/store.js';
import { MAX_LIMIT, translateSearchRequest } from '../search-request.js';
import { parseWith } from '../validation.js';
import { variableSearchSpec } from './variables-router.js';

const conditionsSchema = z.array(z.strictObject({ name: z.string().min(1), value: z.unknown() })).nullish();

const FILTERS = {
  processInstanceVariables: { scopeField: 'processInstanceKey' },
  localVariables: { scopeField: 'elementInstanceKey' },
} as const;

export interface VariableScopedFilters {
  /** The request body without the two variable filters, for the ordinary translation. */
  body: unknown;
  /** Extra `$in` filters on the task's keys; `null` when a condition can match no task. */
  resolve(api: EngineApi): Promise<FieldFilter[] | null>;
}

export function splitVariableFilters(body: unknown): VariableScopedFilters {
  const request = (body ?? {}) as { filter?: Record<string, unknown> | null };
  const filter = request.filter && typeof request.filter === 'object' ? { ...request.filter } : undefined;
  const wanted: Array<{ kind: keyof typeof FILTERS; conditions: Array<{ name: string; value: unknown }> }> = [];
  if (filter) {
    for (const kind of Object.keys(FILTERS) as Array<keyof typeof FILTERS>) {
      const conditions = parseWith(conditionsSchema, filter[kind], `user task filter '${kind}'`);
      delete filter[kind];
      if (conditions && conditions.length > 0) wanted.push({ kind, conditions });
    }
  }
  const openTasksOnly = typeof filter?.state === 'string' && filter.state.toUpperCase() === 'CREATED';
  return {
    body: filter ? { ...request, filter } : body,
    async resolve(api) {
      const extra: FieldFilter[] = [];
      for (const { kind, conditions } of wanted) {
        let keys: Set<string> | undefined;
        for (const { name, value } of conditions) {
          if (openTasksOnly && typeof value === 'string') {
            const matching = new Set(api.activeScopesWithVariable(name, value, kind === 'processInstanceVariables' ? 'root' : 'local'));
            keys = keys ? new Set([...keys].filter((k) => matching.has(k))) : matching;
            continue;
          }
          const { query } = translateSearchRequest({ filter: { name, value }, page: { limit: MAX_LIMIT } }, variableSearchSpec);
          const found = await api.searchVariables(query);
          const matching = new Set<string>();
          for (const variable of found.items) {
            // Process-instance variables live on the root scope; local ones on the task's element instance.
            if (kind === 'processInstanceVariables' && variable.scopeKey !== variable.processInstanceKey) continue;
            matching.add(variable.scopeKey);
          }
          keys = keys ? new Set([...keys].filter((k) => matching.has(k))) : matching;
        }
        if (!keys || keys.size === 0) return null;
        extra.push({ field: FILTERS[kind].scopeField, op: '$in', value: [...keys] });
      }
      return extra;
    },
  };
}
