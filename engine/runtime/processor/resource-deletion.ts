/**
 * Resource deletion (`POST /v2/resources/{resourceKey}/deletion`) as Zeebe 8.8 does it:
 * - a process definition with running instances is not deleted (INVALID_STATE, Zeebe's message); otherwise it
 *   starts no new instance, by key or by id, and disappears from searches. When it was the latest version, the
 *   highest remaining version becomes the latest again and its timer and signal start events open again (message
 *   start events follow the latest version by themselves); its own start events close.
 * - a form is no longer linked: new user tasks link the highest remaining version of its id.
 * - a version number is never given again (a redeployment of the same id gets the next one).
 * The deleted record stays in the store with `deletedAt`, only so that its version is remembered.
 * https://docs.camunda.io/docs/8.8/components/concepts/resource-deletion/
 *
 * The kinds of resource are a table: a kind finds a key among its deployed resources and deletes it (decision
 * requirements join the table with their own entry).
 */
import { invalidState, notFound } from '../../errors.js';
import type { DecisionRequirementsRecord, FormRecord, ProcessDefinitionRecord } from '../records.js';
import type { Processor } from './constructs/construct.js';

type Deleter = Pick<Processor, 'ctx' | 'deployments'>;

export interface DeletableResourceKind<R> {
  /** The deployed, not deleted, resource of this kind with that key. */
  find(key: string, it: Deleter): R | undefined;
  /** Deletes it, or throws (changing nothing) when Zeebe refuses. */
  delete(resource: R, it: Deleter): void;
}

export const processDefinitionDeletion: DeletableResourceKind<ProcessDefinitionRecord> = {
  find: (key, it) => it.ctx.state.definitions.get(key)?.record,
  delete(record, it) {
    const state = it.ctx.state;
    for (const pi of state.instances.values()) {
      if (pi.processDefinitionKey === record.processDefinitionKey && pi.state === 'ACTIVE') {
        throw invalidState(`Expected to delete resource with key \`${record.processDefinitionKey}\` but there are still running instances`);
      }
    }
    const wasLatest = state.latestDefinition.get(record.processDefinitionId)?.record.processDefinitionKey === record.processDefinitionKey;
    if (wasLatest) it.deployments.retireStartEvents(record.processDefinitionKey);
    const newLatest = state.removeDefinition(record);
    if (newLatest) it.deployments.openStartEvents(newLatest.record, newLatest.model);
    record.deletedAt = it.ctx.iso();
    state.touch(record);
  },
};

export const formDeletion: DeletableResourceKind<FormRecord> = {
  find: (key, it) => it.ctx.state.forms.get(key),
  delete(form, it) {
    it.ctx.state.removeForm(form);
    form.deletedAt = it.ctx.iso();
    it.ctx.state.touch(form);
  },
};

/**
 * Decision requirements (a deployed DMN resource): the DRG and every decision in it are deleted, whatever
 * evaluated them; business rule tasks bound to the latest version evaluate the highest remaining one.
 */
export const decisionRequirementsDeletion: DeletableResourceKind<DecisionRequirementsRecord> = {
  find: (key, it) => it.ctx.state.decisionRequirements.get(key)?.record,
  delete(record, it) {
    const state = it.ctx.state;
    const deletedAt = it.ctx.iso();
    for (const decision of state.removeDecisionRequirements(record)) {
      decision.deletedAt = deletedAt;
      state.touch(decision);
    }
    record.deletedAt = deletedAt;
    state.touch(record);
  },
};

/** Every kind of resource that can be deleted, tried in this order (keys are unique across kinds). */
export const DELETABLE_RESOURCE_KINDS: ReadonlyArray<DeletableResourceKind<never>> = [
  processDefinitionDeletion as DeletableResourceKind<never>,
  formDeletion as DeletableResourceKind<never>,
  decisionRequirementsDeletion as DeletableResourceKind<never>,
];

/** Deletes the resource with that key, whatever its kind; NOT_FOUND when no deployed resource has it. */
export function deleteResource(resourceKey: string, it: Deleter, kinds = DELETABLE_RESOURCE_KINDS): void {
  for (const kind of kinds) {
    const resource = kind.find(resourceKey, it);
    if (resource !== undefined) {
      kind.delete(resource, it);
      return;
    }
  }
  throw notFound(`Expected to delete resource but no resource found with key \`${resourceKey}\``);
}
