/**
 * Deployment as Zeebe versions it: a process or form whose resource is unchanged keeps its version and key;
 * a changed one gets the next version. The latest version of a process owns its start-event timers and
 * signal subscriptions.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../../errors.js';
import type { CompiledProcess, CompiledResource } from '../../model/types.js';
import type { DecisionDefinitionRecord, DecisionRequirementsRecord, DeploymentRecord, FormRecord, ProcessDefinitionRecord } from '../records.js';
import { TENANT } from '../records.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Processor } from './constructs/construct.js';
import { eventBehaviour, eventDefinitionOf } from '../../constructs/events/behaviours.js';
import { checkDecisionIds, deployDecisionRequirements } from './decision-deployment.js';

export interface DeploymentOutcome {
  deployment: DeploymentRecord;
  processes: ProcessDefinitionRecord[];
  forms: FormRecord[];
  decisionRequirements: DecisionRequirementsRecord[];
  decisions: DecisionDefinitionRecord[];
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class DeploymentCommand {
  constructor(
    private readonly ctx: InterpreterContext,
    /** Opening start events dispatches to the event table, so it hands it the whole processor. */
    private readonly it: Processor,
  ) {}

  deploy(resources: CompiledResource[]): DeploymentOutcome {
    const seen = new Set<string>();
    for (const r of resources) {
      for (const p of r.processes) {
        if (seen.has(`p:${p.id}`)) throw invalidArgument(`Duplicated process id '${p.id}' in resources of one deployment`);
        seen.add(`p:${p.id}`);
      }
      for (const f of r.forms) {
        if (seen.has(`f:${f.formId}`)) throw invalidArgument(`Duplicated form id '${f.formId}' in resources of one deployment`);
        seen.add(`f:${f.formId}`);
      }
    }
    checkDecisionIds(resources.flatMap((r) => (r.decisionRequirements ? [{ resourceName: r.resourceName, drg: r.decisionRequirements }] : [])));
    const deploymentKey = this.ctx.keys.next();
    const processes: ProcessDefinitionRecord[] = [];
    const forms: FormRecord[] = [];
    const decisionRequirements: DecisionRequirementsRecord[] = [];
    const decisions: DecisionDefinitionRecord[] = [];
    for (const resource of resources) {
      const checksum = sha256(resource.content);
      if (resource.decisionRequirements) {
        const deployed = deployDecisionRequirements(this.ctx, { ...resource, drg: resource.decisionRequirements }, checksum, deploymentKey);
        decisionRequirements.push(deployed.decisionRequirements);
        decisions.push(...deployed.decisions);
      }
      for (const model of resource.processes) {
        const latest = this.ctx.state.latestDefinition.get(model.id);
        if (latest && latest.record.checksum === checksum && latest.record.resourceName === resource.resourceName) {
          processes.push(latest.record);
          continue;
        }
        const record: ProcessDefinitionRecord = {
          kind: 'processDefinition',
          processDefinitionKey: this.ctx.keys.next(),
          processDefinitionId: model.id,
          ...(model.name ? { name: model.name } : {}),
          version: this.ctx.state.nextVersion('process', model.id),
          ...(model.versionTag ? { versionTag: model.versionTag } : {}),
          resourceName: resource.resourceName,
          tenantId: TENANT,
          hasStartForm: model.startFormId !== undefined,
          deploymentKey,
          checksum,
          xml: resource.content,
        };
        if (latest) this.retireStartEvents(latest.record.processDefinitionKey);
        this.ctx.state.addDefinition({ record, model });
        this.ctx.state.touch(record);
        this.openStartEvents(record, model);
        processes.push(record);
      }
      for (const form of resource.forms) {
        const latest = this.ctx.state.latestForm.get(form.formId);
        if (latest && latest.checksum === checksum && latest.resourceName === resource.resourceName) {
          forms.push(latest);
          continue;
        }
        const record: FormRecord = {
          kind: 'form',
          formKey: this.ctx.keys.next(),
          formId: form.formId,
          version: this.ctx.state.nextVersion('form', form.formId),
          resourceName: resource.resourceName,
          tenantId: TENANT,
          deploymentKey,
          checksum,
          schema: form.schema,
        };
        this.ctx.state.addForm(record);
        this.ctx.state.touch(record);
        forms.push(record);
      }
    }
    const deployment: DeploymentRecord = {
      kind: 'deployment',
      deploymentKey,
      tenantId: TENANT,
      processDefinitionKeys: processes.map((p) => p.processDefinitionKey),
      formKeys: forms.map((f) => f.formKey),
      ...(decisionRequirements.length > 0
        ? {
            decisionRequirementsKeys: decisionRequirements.map((d) => d.decisionRequirementsKey),
            decisionDefinitionKeys: decisions.map((d) => d.decisionDefinitionKey),
          }
        : {}),
      createdAt: this.ctx.iso(),
    };
    this.ctx.state.touch(deployment);
    return { deployment, processes, forms, decisionRequirements, decisions };
  }

  /** The start events the latest version listens on (timers and signals; message starts are found by name). */
  openStartEvents(def: ProcessDefinitionRecord, model: CompiledProcess): void {
    for (const id of [...model.timerStartEventIds, ...model.signalStartEventIds]) {
      const ed = eventDefinitionOf(model.elements[id]!);
      eventBehaviour(ed).deployedStart({ processDefinitionKey: def.processDefinitionKey, elementId: id, tenantId: def.tenantId }, ed, this.it);
    }
  }

  /** The previous latest version stops listening on its start events. */
  retireStartEvents(processDefinitionKey: string): void {
    const s = this.ctx.state;
    for (const k of [...s.timersByOwner.get(processDefinitionKey)]) {
      const t = s.timers.get(k)!;
      if (t.elementInstanceKey !== undefined) continue;
      t.state = 'CANCELED';
      s.removeTimer(t);
      s.touch(t);
    }
    for (const k of [...s.signalSubscriptionsByOwner.get(processDefinitionKey)]) {
      const sub = s.signalSubscriptions.get(k)!;
      if (sub.elementInstanceKey !== undefined) continue;
      sub.state = 'DELETED';
      s.removeSignalSubscription(sub);
      s.touch(sub);
    }
  }
}
