/**
 * What a live diagram draws, as Camunda 8.8 serves it to Operate: the sequence flows a process instance took,
 * and element instance statistics per process instance and per process definition (active, completed, canceled,
 * incidents per element; runtime/element-statistics.ts says how they are counted).
 */
import { Router } from 'express';
import { z } from 'zod';
import { invalidArgument } from '../../errors.js';
import type { ElementStatistics, TakenSequenceFlow } from '../../runtime/element-statistics.js';
import type { EngineApi } from '../../runtime/engine-api.js';
import type { FieldFilter } from '../../store/store.js';
import { translateSearchRequest, type SearchSpec } from '../search-request.js';
import { bodyOf, keyParam, parseWith } from '../validation.js';
import { processInstanceSearchSpec } from './process-instances-router.js';

/** `BaseProcessInstanceFilterFields` as far as the process instance search supports them. */
const STATISTICS_FILTERS = [
  'startDate', 'endDate', 'state', 'hasIncident', 'tenantId', 'processInstanceKey', 'parentProcessInstanceKey',
  'parentElementInstanceKey', 'tags',
] as const;

export const definitionStatisticsFilterSpec: SearchSpec = {
  ...processInstanceSearchSpec,
  resource: 'process definition element statistics',
  filters: Object.fromEntries(STATISTICS_FILTERS.map((name) => [name, processInstanceSearchSpec.filters[name]!])),
};

const statisticsRequestSchema = z.strictObject({ filter: z.record(z.string(), z.unknown()).optional() }).nullable();

/** The filter of `ProcessDefinitionElementStatisticsQuery`: top-level conditions and the `$or` alternatives. */
export function translateStatisticsFilter(body: unknown): { filters: FieldFilter[]; anyOf: FieldFilter[][] } {
  const request = parseWith(statisticsRequestSchema, body ?? null, 'process definition element statistics request');
  const { $or, ...top } = request?.filter ?? {};
  const filtersOf = (filter: unknown): FieldFilter[] => translateSearchRequest({ filter }, definitionStatisticsFilterSpec).query.filters;
  if ($or !== undefined && (!Array.isArray($or) || $or.some((alt) => typeof alt !== 'object' || alt === null || Array.isArray(alt)))) {
    throw invalidArgument("Invalid filter '$or': expected an array of filter objects");
  }
  return { filters: filtersOf(top), anyOf: (($or as object[] | undefined) ?? []).map(filtersOf) };
}

const statisticsItem = (s: ElementStatistics) => ({
  elementId: s.elementId,
  active: s.active,
  canceled: s.canceled,
  incidents: s.incidents,
  completed: s.completed,
});

const sequenceFlowItem = (f: TakenSequenceFlow) => ({
  sequenceFlowId: f.sequenceFlowId,
  processInstanceKey: f.processInstanceKey,
  processDefinitionKey: f.processDefinitionKey,
  processDefinitionId: f.processDefinitionId,
  elementId: f.elementId,
  tenantId: f.tenantId,
});

export function liveDiagramRouter(api: EngineApi): Router {
  const router = Router();

  router.get('/process-instances/:processInstanceKey/sequence-flows', async (req, res) => {
    const flows = await api.processInstanceSequenceFlows(keyParam(req, 'processInstanceKey'));
    res.json({ items: flows.map(sequenceFlowItem) });
  });

  router.get('/process-instances/:processInstanceKey/statistics/element-instances', async (req, res) => {
    const statistics = await api.processInstanceElementStatistics(keyParam(req, 'processInstanceKey'));
    res.json({ items: statistics.map(statisticsItem) });
  });

  router.post('/process-definitions/:processDefinitionKey/statistics/element-instances', async (req, res) => {
    const key = keyParam(req, 'processDefinitionKey');
    const { filters, anyOf } = translateStatisticsFilter(bodyOf(req));
    const statistics = await api.processDefinitionElementStatistics(key, filters, anyOf);
    res.json({ items: statistics.map(statisticsItem) });
  });

  return router;
}
