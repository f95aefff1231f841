/**
 * Timer events: a catch side evaluates its date, duration or cycle now and schedules a timer owned by the
 * waiting element instance (or, for a start event, by the process definition's latest version). When it is
 * due the catch element runs; a cycle on a non-interrupting catch (or a start event) schedules its next
 * repetition first.
 * https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/
 */
import { evaluateTimer, nextTimer } from '../../../feel/index.js';
import type { TimerRecord } from '../../../runtime/records.js';
import type { Variables } from '../../../runtime/processor/variable-scopes.js';
import { refusedAtDeploy, type EventBehaviour, type EventDefinitionOf, type Processor } from '../../../runtime/processor/constructs/construct.js';

type TimerOwner = Pick<TimerRecord, 'processDefinitionKey' | 'processInstanceKey' | 'elementInstanceKey' | 'elementId' | 'tenantId'>;

export const timerEvent: EventBehaviour<'timer', Pick<Processor, 'ctx' | 'events'>> = {
  thrown: () => refusedAtDeploy('a timer throw event'),
  leaveThrow: () => refusedAtDeploy('a timer throw event'),
  catchActivated: (ei, element, c) => c.events.openCatchEvent(ei, element, ei),
  subscribe: (owner, catchElement, def, _interrupting, context, c) =>
    startTimer(def, context, {
      processDefinitionKey: owner.processDefinitionKey,
      processInstanceKey: owner.processInstanceKey,
      elementInstanceKey: owner.elementInstanceKey,
      elementId: catchElement.id,
      tenantId: owner.tenantId,
    }, c),
  deployedStart: (start, def, c) => startTimer(def, {}, start, c),
};

/** Evaluates a timer definition now and schedules it for its owner. */
function startTimer(def: EventDefinitionOf<'timer'>, context: Variables, owner: TimerOwner, c: Pick<Processor, 'ctx'>): void {
  const t = evaluateTimer(def, context, c.ctx.now());
  addTimer({
    kind: 'timer',
    timerKey: c.ctx.keys.next(),
    dueDate: t.dueDate,
    repetitions: t.repetitions,
    ...(t.interval ? { interval: t.interval } : {}),
    ...owner,
    state: 'CREATED',
  }, c);
}

function addTimer(timer: TimerRecord, c: Pick<Processor, 'ctx'>): void {
  c.ctx.state.addTimer(timer);
  c.ctx.state.touch(timer);
  c.ctx.hooks.schedule({ at: timer.dueDate, what: 'timer', key: timer.timerKey });
}

/** A timer became due: its catch element runs (a start event: a new instance of the definition). */
export function timerDue(timerKey: string, c: Pick<Processor, 'ctx' | 'lifecycle' | 'events' | 'triggers'>): void {
  const s = c.ctx.state;
  const timer = s.timers.get(timerKey);
  if (!timer || timer.dueDate > c.ctx.now()) return;
  timer.state = 'TRIGGERED';
  s.removeTimer(timer);
  s.touch(timer);
  const next = timer.interval && timer.repetitions !== 1 ? nextTimer({ dueDate: timer.dueDate, repetitions: timer.repetitions, interval: timer.interval }, c.ctx.now()) : undefined;
  if (timer.elementInstanceKey === undefined) {
    // Timer start event of the latest version.
    c.lifecycle.createInstance(timer.processDefinitionKey, {}, { startElementIds: [timer.elementId] });
    if (next) addTimer({ ...timer, timerKey: c.ctx.keys.next(), dueDate: next.dueDate, repetitions: next.repetitions, state: 'CREATED' }, c);
    return;
  }
  const owner = s.elements.get(timer.elementInstanceKey);
  if (!owner) return;
  const catchElement = c.ctx.model(owner).elements[timer.elementId]!;
  const interrupting = c.triggers.interruptingOf(catchElement);
  if (!interrupting && next) {
    addTimer({ ...timer, timerKey: c.ctx.keys.next(), dueDate: next.dueDate, repetitions: next.repetitions, state: 'CREATED' }, c);
  }
  if (owner.type === 'EVENT_BASED_GATEWAY' || catchElement.type === 'INTERMEDIATE_CATCH_EVENT') {
    c.events.closeOwnedSubscriptions(owner, owner.type === 'EVENT_BASED_GATEWAY' ? undefined : (id) => id === timer.elementId);
  }
  c.triggers.trigger(owner, timer.elementId, {}, interrupting);
}
