/**
 * The engine's in-memory runtime state: every active record, with the indexes the interpreter needs.
 * Completed records stay only until the batch that completed them is committed (`evictInactive`).
 * Every change goes through `touch()`, which marks the record for the next commit.
 */
import type { CompiledDecisionRequirements } from '../dmn/types.js';
import type { CompiledProcess } from '../model/types.js';
import {
  isActive,
  recordKey,
  type DecisionDefinitionRecord,
  type DecisionRequirementsRecord,
  type ElementInstanceRecord,
  type EngineRecord,
  type FormRecord,
  type IncidentRecord,
  type JobRecord,
  type MessageRecord,
  type MessageSubscriptionRecord,
  type ProcessDefinitionRecord,
  type ProcessInstanceRecord,
  type SignalSubscriptionRecord,
  type TimerRecord,
  type UserTaskRecord,
  type VariableRecord,
} from './records.js';

export interface DeployedProcess {
  record: ProcessDefinitionRecord;
  model: CompiledProcess;
}

/** What a version number belongs to: a process id, form id, DRG id or decision id. */
type VersionedKind = 'process' | 'form' | 'decisionRequirements' | 'decision';

export interface DeployedDecisionRequirements {
  record: DecisionRequirementsRecord;
  drg: CompiledDecisionRequirements;
}

/** A multimap whose empty sets disappear. */
class Index<V> {
  private readonly map = new Map<string, Set<V>>();
  add(k: string, v: V): void {
    let s = this.map.get(k);
    if (!s) this.map.set(k, (s = new Set()));
    s.add(v);
  }
  delete(k: string, v: V): void {
    const s = this.map.get(k);
    if (!s) return;
    s.delete(v);
    if (s.size === 0) this.map.delete(k);
  }
  get(k: string): ReadonlySet<V> {
    return this.map.get(k) ?? EMPTY;
  }
  clear(): void {
    this.map.clear();
  }
}
const EMPTY: ReadonlySet<never> = new Set();

export const nameKey = (name: string, correlationKey: string): string => `${name}\u0000${correlationKey}`;

/** Zeebe keeps a message id unique per message name and correlation key. */
export const messageIdKey = (m: { name: string; correlationKey: string; messageId?: string }): string =>
  `${m.name}\u0000${m.correlationKey}\u0000${m.messageId ?? ''}`;

export class RuntimeState {
  readonly definitions = new Map<string, DeployedProcess>();
  readonly latestDefinition = new Map<string, DeployedProcess>();
  readonly forms = new Map<string, FormRecord>();
  readonly latestForm = new Map<string, FormRecord>();
  /** Deployed DRGs by key, and the latest version by DRG id. */
  readonly decisionRequirements = new Map<string, DeployedDecisionRequirements>();
  readonly latestDecisionRequirements = new Map<string, DeployedDecisionRequirements>();
  /** Deployed decisions by key, and the latest version by decision id. */
  readonly decisions = new Map<string, DecisionDefinitionRecord>();
  readonly latestDecision = new Map<string, DecisionDefinitionRecord>();

  readonly instances = new Map<string, ProcessInstanceRecord>();
  /** Active element instances, including one of type PROCESS per process instance (same key). */
  readonly elements = new Map<string, ElementInstanceRecord>();
  /** flow scope key → active child element instance keys. */
  readonly children = new Index<string>();
  /** scope key → name → variable. */
  readonly variables = new Map<string, Map<string, VariableRecord>>();

  readonly jobs = new Map<string, JobRecord>();
  readonly jobByElement = new Map<string, string>();
  /** job type → activatable job keys, oldest first. */
  readonly activatable = new Index<string>();

  readonly userTasks = new Map<string, UserTaskRecord>();
  readonly userTaskByElement = new Map<string, string>();

  readonly incidents = new Map<string, IncidentRecord>();
  /** process instance key → its open incidents. */
  readonly incidentsByInstance = new Index<string>();

  readonly messageSubscriptions = new Map<string, MessageSubscriptionRecord>();
  readonly subscriptionsByName = new Index<string>();
  readonly subscriptionsByOwner = new Index<string>();

  /** `processId\0correlationKey` of active instances started by a message with that key (one at a time). */
  readonly messageStarted = new Set<string>();

  readonly messages = new Map<string, MessageRecord>();
  readonly messagesByName = new Index<string>();
  /** `name\0correlationKey\0messageId` → message key, for buffered messages with an id. */
  readonly messageIds = new Map<string, string>();

  readonly timers = new Map<string, TimerRecord>();
  readonly timersByOwner = new Index<string>();

  readonly signalSubscriptions = new Map<string, SignalSubscriptionRecord>();
  readonly signalSubscriptionsByName = new Index<string>();
  readonly signalSubscriptionsByOwner = new Index<string>();

  private dirty = new Map<string, EngineRecord>();

  /** Marks a record as changed in this batch. */
  touch(record: EngineRecord): void {
    if (record.kind === 'elementInstance' && record.type === 'PROCESS') {
      // The process element instance is stored inside its process instance record (same key, shared
      // `runtime` object, see processElementOf and ElementLifecycle.createInstance).
      const pi = this.instances.get(record.elementInstanceKey);
      if (pi) this.dirty.set(recordKey(pi), pi);
      return;
    }
    this.dirty.set(recordKey(record), record);
  }

  /** The records changed since the last call, for the commit. */
  takeDirty(): EngineRecord[] {
    const records = [...this.dirty.values()];
    this.dirty = new Map();
    return records;
  }

  // ---- registration (memory only; callers touch) ----

  addDefinition(deployed: DeployedProcess): void {
    this.definitions.set(deployed.record.processDefinitionKey, deployed);
    const latest = this.latestDefinition.get(deployed.record.processDefinitionId);
    if (!latest || latest.record.version < deployed.record.version) {
      this.latestDefinition.set(deployed.record.processDefinitionId, deployed);
    }
  }

  addForm(form: FormRecord): void {
    this.forms.set(form.formKey, form);
    const latest = this.latestForm.get(form.formId);
    if (!latest || latest.version < form.version) this.latestForm.set(form.formId, form);
  }

  /** `process:<id>` / `form:<id>` → the highest version deleted, so a version number is never given twice. */
  private readonly deletedVersions = new Map<string, number>();

  private noteDeletedVersion(what: VersionedKind, id: string, version: number): void {
    const key = `${what}:${id}`;
    this.deletedVersions.set(key, Math.max(this.deletedVersions.get(key) ?? 0, version));
  }

  /** The version a changed resource deploys as: one above every version deployed so far, deleted ones included. */
  nextVersion(what: VersionedKind, id: string): number {
    const latest =
      what === 'process' ? this.latestDefinition.get(id)?.record.version
      : what === 'form' ? this.latestForm.get(id)?.version
      : what === 'decisionRequirements' ? this.latestDecisionRequirements.get(id)?.record.version
      : this.latestDecision.get(id)?.version;
    return Math.max(latest ?? 0, this.deletedVersions.get(`${what}:${id}`) ?? 0) + 1;
  }

  /** Forgets a deleted process definition; the highest remaining version of its id becomes the latest (or none). */
  removeDefinition(record: ProcessDefinitionRecord): DeployedProcess | undefined {
    this.definitions.delete(record.processDefinitionKey);
    this.noteDeletedVersion('process', record.processDefinitionId, record.version);
    if (this.latestDefinition.get(record.processDefinitionId)?.record.processDefinitionKey !== record.processDefinitionKey) return undefined;
    this.latestDefinition.delete(record.processDefinitionId);
    let latest: DeployedProcess | undefined;
    for (const d of this.definitions.values()) {
      if (d.record.processDefinitionId === record.processDefinitionId && (!latest || d.record.version > latest.record.version)) latest = d;
    }
    if (latest) this.latestDefinition.set(record.processDefinitionId, latest);
    return latest;
  }

  /** Forgets a deleted form; the highest remaining version of its id becomes the latest (or none). */
  removeForm(form: FormRecord): void {
    this.forms.delete(form.formKey);
    this.noteDeletedVersion('form', form.formId, form.version);
    if (this.latestForm.get(form.formId)?.formKey !== form.formKey) return;
    this.latestForm.delete(form.formId);
    for (const f of this.forms.values()) if (f.formId === form.formId) this.addForm(f);
  }

  addDecisionRequirements(deployed: DeployedDecisionRequirements): void {
    this.decisionRequirements.set(deployed.record.decisionRequirementsKey, deployed);
    const latest = this.latestDecisionRequirements.get(deployed.record.decisionRequirementsId);
    if (!latest || latest.record.version < deployed.record.version) {
      this.latestDecisionRequirements.set(deployed.record.decisionRequirementsId, deployed);
    }
  }

  /** Forgets a deleted DRG and its decisions; for each id the highest remaining version becomes the latest (or none). */
  removeDecisionRequirements(record: DecisionRequirementsRecord): DecisionDefinitionRecord[] {
    this.decisionRequirements.delete(record.decisionRequirementsKey);
    this.noteDeletedVersion('decisionRequirements', record.decisionRequirementsId, record.version);
    if (this.latestDecisionRequirements.get(record.decisionRequirementsId)?.record.decisionRequirementsKey === record.decisionRequirementsKey) {
      this.latestDecisionRequirements.delete(record.decisionRequirementsId);
      for (const d of this.decisionRequirements.values()) if (d.record.decisionRequirementsId === record.decisionRequirementsId) this.addDecisionRequirements(d);
    }
    const removed = [...this.decisions.values()].filter((d) => d.decisionRequirementsKey === record.decisionRequirementsKey);
    for (const decision of removed) {
      this.decisions.delete(decision.decisionDefinitionKey);
      this.noteDeletedVersion('decision', decision.decisionDefinitionId, decision.version);
      if (this.latestDecision.get(decision.decisionDefinitionId)?.decisionDefinitionKey !== decision.decisionDefinitionKey) continue;
      this.latestDecision.delete(decision.decisionDefinitionId);
      for (const d of this.decisions.values()) if (d.decisionDefinitionId === decision.decisionDefinitionId) this.addDecision(d);
    }
    return removed;
  }

  addDecision(decision: DecisionDefinitionRecord): void {
    this.decisions.set(decision.decisionDefinitionKey, decision);
    const latest = this.latestDecision.get(decision.decisionDefinitionId);
    if (!latest || latest.version < decision.version) this.latestDecision.set(decision.decisionDefinitionId, decision);
  }

  addElement(ei: ElementInstanceRecord): void {
    this.elements.set(ei.elementInstanceKey, ei);
    if (ei.flowScopeKey) this.children.add(ei.flowScopeKey, ei.elementInstanceKey);
  }

  removeElement(ei: ElementInstanceRecord): void {
    this.elements.delete(ei.elementInstanceKey);
    if (ei.flowScopeKey) this.children.delete(ei.flowScopeKey, ei.elementInstanceKey);
  }

  addIncident(incident: IncidentRecord): void {
    this.incidents.set(incident.incidentKey, incident);
    this.incidentsByInstance.add(incident.processInstanceKey, incident.incidentKey);
  }

  removeIncident(incident: IncidentRecord): void {
    this.incidents.delete(incident.incidentKey);
    this.incidentsByInstance.delete(incident.processInstanceKey, incident.incidentKey);
  }

  addJob(job: JobRecord): void {
    this.jobs.set(job.jobKey, job);
    this.jobByElement.set(job.elementInstanceKey, job.jobKey);
  }

  removeJob(job: JobRecord): void {
    this.jobs.delete(job.jobKey);
    this.activatable.delete(job.type, job.jobKey);
    if (this.jobByElement.get(job.elementInstanceKey) === job.jobKey) this.jobByElement.delete(job.elementInstanceKey);
  }

  addUserTask(task: UserTaskRecord): void {
    this.userTasks.set(task.userTaskKey, task);
    this.userTaskByElement.set(task.elementInstanceKey, task.userTaskKey);
  }

  removeUserTask(task: UserTaskRecord): void {
    this.userTasks.delete(task.userTaskKey);
    this.userTaskByElement.delete(task.elementInstanceKey);
  }

  addMessageSubscription(sub: MessageSubscriptionRecord): void {
    this.messageSubscriptions.set(sub.messageSubscriptionKey, sub);
    this.subscriptionsByName.add(nameKey(sub.messageName, sub.correlationKey), sub.messageSubscriptionKey);
    this.subscriptionsByOwner.add(sub.elementInstanceKey, sub.messageSubscriptionKey);
  }

  removeMessageSubscription(sub: MessageSubscriptionRecord): void {
    this.messageSubscriptions.delete(sub.messageSubscriptionKey);
    this.subscriptionsByName.delete(nameKey(sub.messageName, sub.correlationKey), sub.messageSubscriptionKey);
    this.subscriptionsByOwner.delete(sub.elementInstanceKey, sub.messageSubscriptionKey);
  }

  addMessage(msg: MessageRecord): void {
    this.messages.set(msg.messageKey, msg);
    this.messagesByName.add(nameKey(msg.name, msg.correlationKey), msg.messageKey);
    if (msg.messageId) this.messageIds.set(messageIdKey(msg), msg.messageKey);
  }

  removeMessage(msg: MessageRecord): void {
    this.messages.delete(msg.messageKey);
    this.messagesByName.delete(nameKey(msg.name, msg.correlationKey), msg.messageKey);
    if (msg.messageId && this.messageIds.get(messageIdKey(msg)) === msg.messageKey) this.messageIds.delete(messageIdKey(msg));
  }

  addTimer(timer: TimerRecord): void {
    this.timers.set(timer.timerKey, timer);
    this.timersByOwner.add(timer.elementInstanceKey ?? timer.processDefinitionKey, timer.timerKey);
  }

  removeTimer(timer: TimerRecord): void {
    this.timers.delete(timer.timerKey);
    this.timersByOwner.delete(timer.elementInstanceKey ?? timer.processDefinitionKey, timer.timerKey);
  }

  addSignalSubscription(sub: SignalSubscriptionRecord): void {
    this.signalSubscriptions.set(sub.signalSubscriptionKey, sub);
    this.signalSubscriptionsByName.add(sub.signalName, sub.signalSubscriptionKey);
    this.signalSubscriptionsByOwner.add(sub.elementInstanceKey ?? sub.processDefinitionKey, sub.signalSubscriptionKey);
  }

  removeSignalSubscription(sub: SignalSubscriptionRecord): void {
    this.signalSubscriptions.delete(sub.signalSubscriptionKey);
    this.signalSubscriptionsByName.delete(sub.signalName, sub.signalSubscriptionKey);
    this.signalSubscriptionsByOwner.delete(sub.elementInstanceKey ?? sub.processDefinitionKey, sub.signalSubscriptionKey);
  }

  setVariable(v: VariableRecord): void {
    let scope = this.variables.get(v.scopeKey);
    if (!scope) this.variables.set(v.scopeKey, (scope = new Map()));
    scope.set(v.name, v);
  }

  /** Drops a scope's variables from memory (they stay in the store as history). */
  dropScopeVariables(scopeKey: string): VariableRecord[] {
    const scope = this.variables.get(scopeKey);
    if (!scope) return [];
    this.variables.delete(scopeKey);
    return [...scope.values()];
  }

  /** Rebuilds memory from records loaded out of the store after a restart. */
  load(records: EngineRecord[], models: Map<string, CompiledProcess>, drgs: Map<string, CompiledDecisionRequirements> = new Map()): void {
    for (const r of records) {
      if (!isActive(r)) continue;
      switch (r.kind) {
        case 'processDefinition': {
          if (r.deletedAt !== undefined) {
            this.noteDeletedVersion('process', r.processDefinitionId, r.version);
            break;
          }
          const model = models.get(r.processDefinitionKey);
          if (model) this.addDefinition({ record: r, model });
          break;
        }
        case 'form':
          if (r.deletedAt !== undefined) this.noteDeletedVersion('form', r.formId, r.version);
          else this.addForm(r);
          break;
        case 'processInstance': {
          this.instances.set(r.processInstanceKey, r);
          const startKey = r.runtime?.startCorrelationKey;
          if (typeof startKey === 'string') this.messageStarted.add(nameKey(r.processDefinitionId, startKey));
          this.addElement(processElementOf(r));
          break;
        }
        case 'elementInstance': this.addElement(r); break;
        case 'variable': this.setVariable(r); break;
        case 'job': {
          this.addJob(r);
          // A failed job is activatable again only if it failed with retries left and its back-off is over;
          // one that ran out of retries waits for its incident to be resolved.
          const failedWithRetries = r.state === 'FAILED' && r.hasFailedWithRetriesLeft && r.recurAt === undefined;
          if (r.state === 'CREATED' || r.state === 'TIMED_OUT' || r.state === 'RETRIES_UPDATED' || failedWithRetries) {
            this.activatable.add(r.type, r.jobKey);
          }
          break;
        }
        case 'userTask': this.addUserTask(r); break;
        case 'incident': this.addIncident(r); break;
        case 'messageSubscription': this.addMessageSubscription(r); break;
        case 'message': this.addMessage(r); break;
        case 'timer': this.addTimer(r); break;
        case 'signalSubscription': this.addSignalSubscription(r); break;
        case 'decisionRequirements': {
          if (r.deletedAt !== undefined) {
            this.noteDeletedVersion('decisionRequirements', r.decisionRequirementsId, r.version);
            break;
          }
          const drg = drgs.get(r.decisionRequirementsKey);
          if (drg) this.addDecisionRequirements({ record: r, drg });
          break;
        }
        case 'decisionDefinition':
          if (r.deletedAt !== undefined) this.noteDeletedVersion('decision', r.decisionDefinitionId, r.version);
          else this.addDecision(r);
          break;
        case 'deployment':
        case 'decisionInstance': break;
      }
    }
  }
}

/** The PROCESS element instance of a process instance (kept inside the process instance record). */
export function processElementOf(pi: ProcessInstanceRecord): ElementInstanceRecord {
  pi.runtime ??= {};
  return {
    kind: 'elementInstance',
    elementInstanceKey: pi.processInstanceKey,
    processInstanceKey: pi.processInstanceKey,
    processDefinitionKey: pi.processDefinitionKey,
    processDefinitionId: pi.processDefinitionId,
    elementId: pi.processDefinitionId,
    elementName: pi.processDefinitionName,
    type: 'PROCESS',
    state: pi.state,
    startDate: pi.startDate,
    hasIncident: pi.hasIncident,
    tenantId: pi.tenantId,
    runtime: pi.runtime,
  };
}
