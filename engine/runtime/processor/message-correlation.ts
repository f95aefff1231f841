/**
 * Messages as Zeebe correlates them: a published message goes to the open subscriptions for its name and
 * correlation key — at most one per process (BPMN process id, across versions) — starts instances of processes
 * with a matching message start event, and — with a time to live — waits in a buffer for subscriptions
 * opened later.
 */
import { EngineError, notFound } from '../../errors.js';
import type { MessageRecord, MessageSubscriptionRecord } from '../records.js';
import { messageIdKey, nameKey } from '../runtime-state.js';
import type { InterpreterContext } from './interpreter-context.js';
import type { Interpreter } from './interpreter.js';
import type { Variables } from './variable-scopes.js';

export interface PublishedMessage {
  name: string;
  correlationKey: string;
  variables: Variables;
  timeToLive: number;
  messageId?: string;
}

export class MessageCorrelation {
  constructor(
    private readonly ctx: InterpreterContext,
    /** The parts of the processor this one uses. */
    private readonly it: Pick<Interpreter, 'lifecycle' | 'triggers'>,
  ) {}

  /** Publishes; returns the message key and the instances it reached (first one first). */
  publish(msg: PublishedMessage, buffer: boolean): { messageKey: string; processInstanceKeys: string[] } {
    const s = this.ctx.state;
    if (msg.messageId && buffer) {
      const existing = s.messageIds.get(messageIdKey(msg));
      if (existing && s.messages.get(existing)?.state === 'PUBLISHED') {
        throw new EngineError(
          'ALREADY_EXISTS',
          `Expected to publish a new message with id '${msg.messageId}', but a message with that id was already published (name '${msg.name}', correlation key '${msg.correlationKey}')`,
        );
      }
    }
    const messageKey = this.ctx.keys.next();
    const record: MessageRecord = {
      kind: 'message',
      messageKey,
      name: msg.name,
      correlationKey: msg.correlationKey,
      ...(msg.messageId ? { messageId: msg.messageId } : {}),
      variables: msg.variables,
      publishedAt: this.ctx.now(),
      expiresAt: this.ctx.now() + Math.max(0, msg.timeToLive),
      correlatedTo: [],
      state: 'PUBLISHED',
      tenantId: '<default>',
    };
    const reached: string[] = [];
    // Waiting subscriptions: at most one per process (BPMN process id), as Zeebe's message cardinality rule says.
    for (const subKey of [...s.subscriptionsByName.get(nameKey(msg.name, msg.correlationKey))]) {
      const sub = s.messageSubscriptions.get(subKey);
      if (!sub || record.correlatedTo.includes(sub.processDefinitionId)) continue;
      record.correlatedTo.push(sub.processDefinitionId);
      reached.push(sub.processInstanceKey);
      this.correlate(sub, msg.variables);
    }
    // Message start events of the latest process versions.
    for (const deployed of s.latestDefinition.values()) {
      const model = deployed.model;
      for (const startId of model.messageStartEventIds) {
        const def = model.elements[startId]!.eventDefinition;
        if (def?.kind !== 'message' || def.name !== msg.name) continue;
        if (record.correlatedTo.includes(model.id)) continue;
        if (msg.correlationKey && s.messageStarted.has(nameKey(model.id, msg.correlationKey))) continue;
        record.correlatedTo.push(model.id);
        const pi = this.it.lifecycle.createInstance(deployed.record.processDefinitionKey, {}, {
          startElementIds: [startId],
          triggerVariables: msg.variables,
        });
        if (msg.correlationKey) {
          (pi.runtime ??= {}).startCorrelationKey = msg.correlationKey;
          s.messageStarted.add(nameKey(model.id, msg.correlationKey));
        }
        reached.push(pi.processInstanceKey);
      }
    }
    if (buffer && msg.timeToLive > 0) {
      s.addMessage(record);
      s.touch(record);
      this.ctx.hooks.schedule({ at: record.expiresAt, what: 'messageExpiry', key: messageKey });
    }
    return { messageKey, processInstanceKeys: reached };
  }

  /** `POST /messages/correlation`: like publish without buffering; NOT_FOUND when nothing waits. */
  correlateNow(msg: Omit<PublishedMessage, 'timeToLive' | 'messageId'>): { messageKey: string; processInstanceKey: string } {
    const hasSubscriber =
      this.ctx.state.subscriptionsByName.get(nameKey(msg.name, msg.correlationKey)).size > 0 ||
      [...this.ctx.state.latestDefinition.values()].some((d) =>
        d.model.messageStartEventIds.some((id) => {
          const def = d.model.elements[id]!.eventDefinition;
          return def?.kind === 'message' && def.name === msg.name;
        }),
      );
    if (!hasSubscriber) {
      throw notFound(
        `Expected to find subscription for message with name '${msg.name}' and correlation key '${msg.correlationKey}', but none was found.`,
      );
    }
    const result = this.publish({ ...msg, timeToLive: 0 }, false);
    const first = result.processInstanceKeys[0];
    if (!first) {
      throw notFound(`Expected to correlate message with name '${msg.name}' and correlation key '${msg.correlationKey}', but no process instance could take it.`);
    }
    return { messageKey: result.messageKey, processInstanceKey: first };
  }

  /** A newly opened subscription takes the oldest buffered message not yet correlated to its process. */
  correlateBuffered(sub: MessageSubscriptionRecord): void {
    const s = this.ctx.state;
    if (sub.state !== 'CREATED') return;
    const now = this.ctx.now();
    for (const key of s.messagesByName.get(nameKey(sub.messageName, sub.correlationKey))) {
      const msg = s.messages.get(key);
      if (!msg || msg.expiresAt <= now || msg.correlatedTo.includes(sub.processDefinitionId)) continue;
      msg.correlatedTo.push(sub.processDefinitionId);
      s.touch(msg);
      this.correlate(sub, msg.variables);
      return;
    }
  }

  /** Buffered messages whose time to live ran out. */
  expire(messageKey: string): void {
    const msg = this.ctx.state.messages.get(messageKey);
    if (!msg || msg.expiresAt > this.ctx.now()) return;
    msg.state = 'EXPIRED';
    this.ctx.state.removeMessage(msg);
    this.ctx.state.touch(msg);
  }

  private correlate(sub: MessageSubscriptionRecord, variables: Variables): void {
    const s = this.ctx.state;
    const owner = s.elements.get(sub.elementInstanceKey);
    if (!owner) return;
    const catchElement = this.ctx.model(owner).elements[sub.catchElementId]!;
    if (!this.it.triggers.keepsListening(catchElement, sub.interrupting)) {
      sub.state = 'CORRELATED';
      s.removeMessageSubscription(sub);
      s.touch(sub);
    }
    this.it.triggers.trigger(owner, sub.catchElementId, variables, sub.interrupting);
  }
}
