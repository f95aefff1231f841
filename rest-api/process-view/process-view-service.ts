/**
 * A permit's process as the web app draws it: the diagram of one of its process instances (the lifecycle, or a
 * process it called), the sequence flows it took, per element how many instances are active, completed, failing
 * or canceled (Operate's badges; the element lists are derived from these counts), and which call activities
 * started which process instance (to drill into). Anyone who may see the permit may see its process; an instance
 * that does not belong to the permit is answered as not found.
 */
import { NotFoundError } from '../../shared/index.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import type { ElementCounts, ProcessInspector } from './process-inspector.js';

export interface ProcessView {
  processInstanceKey: string;
  processDefinitionId: string;
  state: string;
  xml: string;
  activeElementIds: string[];
  completedElementIds: string[];
  incidentElementIds: string[];
  /** Ids of the sequence flows the instance took. */
  takenSequenceFlowIds: string[];
  /** Per element reached: active (without incident), incidents, completed, canceled. */
  elementStatistics: ElementCounts[];
  calledProcesses: Array<{ elementId: string; processInstanceKey: string; processDefinitionId: string; state: string }>;
}

/** Call activities nest a few levels deep at most (lifecycle → phase → review); deeper is not the permit's. */
const MAX_DEPTH = 6;

export function createProcessViewService(deps: { access: Pick<PermitAccess, 'load'>; inspector: ProcessInspector }) {
  const { inspector } = deps;
  return {
    async view(caller: Caller, permitId: string, processInstanceKey?: string): Promise<ProcessView> {
      const { permit } = await deps.access.load(caller, permitId);
      const root = permit.processInstanceKey;
      const notFound = new NotFoundError(
        processInstanceKey ? `Process instance ${processInstanceKey} is not part of permit ${permitId}.` : `Permit ${permitId} has no process yet.`,
        { permitId, ...(processInstanceKey ? { processInstanceKey } : {}) },
      );
      if (!root) throw notFound;
      const key = processInstanceKey ?? root;
      const instance = await inspector.getInstance(key);
      if (!instance) throw notFound;
      // The instance must be the permit's lifecycle or called (directly or not) from it.
      let cursor = instance;
      for (let depth = 0; cursor.processInstanceKey !== root; depth += 1) {
        if (!cursor.parentProcessInstanceKey || depth >= MAX_DEPTH) throw notFound;
        const parent = await inspector.getInstance(cursor.parentProcessInstanceKey);
        if (!parent) throw notFound;
        cursor = parent;
      }
      const [xml, statistics, flows, elements, children] = await Promise.all([
        inspector.diagramXml(instance.processDefinitionKey),
        inspector.elementStatistics(key),
        inspector.takenSequenceFlows(key),
        inspector.elements(key),
        inspector.childInstances(key),
      ]);
      const ids = (keep: (s: ElementCounts) => boolean) => statistics.filter(keep).map((s) => s.elementId);
      const elementOf = new Map(elements.map((e) => [e.elementInstanceKey, e.elementId]));
      return {
        processInstanceKey: key,
        processDefinitionId: instance.processDefinitionId,
        state: instance.state,
        xml,
        activeElementIds: ids((s) => s.active + s.incidents > 0),
        completedElementIds: ids((s) => s.completed > 0 && s.active + s.incidents === 0),
        incidentElementIds: ids((s) => s.incidents > 0),
        takenSequenceFlowIds: flows,
        elementStatistics: statistics,
        calledProcesses: children
          .map((child) => ({
            elementId: (child.parentElementInstanceKey && elementOf.get(child.parentElementInstanceKey)) || '',
            processInstanceKey: child.processInstanceKey,
            processDefinitionId: child.processDefinitionId,
            state: child.state,
          }))
          .filter((c) => c.elementId !== ''),
      };
    },
  };
}

export type ProcessViewService = ReturnType<typeof createProcessViewService>;
