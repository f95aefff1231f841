import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { flow, job } from '../testing/bpmn-builder.js';
import { constructKit, type ConstructKit } from '../testing/construct-kit.js';

let k: ConstructKit;
afterEach(async () => k?.core.stop());

const of = (pik: string) => ({ filters: [{ field: 'processInstanceKey', op: '$eq' as const, value: pik }], sort: [], offset: 0, limit: 100 });
const userTask = (id: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;
const timerCatch = (id: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
const service = (id: string, type: string) => `<bpmn:serviceTask id="${id}">${job(type)}</bpmn:serviceTask>`;

/** s → a (user task) → b (job 'b') → c (job 'c') → e, and a sub-process `sub` (s2 → inner (job 'inner') → e2) after c. */
const CHAIN = `<bpmn:startEvent id="s" />${userTask('a')}${service('b', 'b')}${service('c', 'c')}
  <bpmn:subProcess id="sub"><bpmn:startEvent id="s2" />${service('inner', 'inner')}<bpmn:endEvent id="e2" />${flow('g1', 's2', 'inner')}${flow('g2', 'inner', 'e2')}</bpmn:subProcess>
  <bpmn:endEvent id="e" />${flow('f1', 's', 'a')}${flow('f2', 'a', 'b')}${flow('f3', 'b', 'c')}${flow('f4', 'c', 'sub')}${flow('f5', 'sub', 'e')}`;

async function activeElements(pik: string) {
  return (await k.queries.searchElementInstances(of(pik))).items.filter((e) => e.state === 'ACTIVE' && e.type !== 'PROCESS');
}

async function refusal(call: Promise<unknown>): Promise<EngineError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('process instance modification', () => {
  it('moves the token: terminates the waiting task, activates a later one, and the instance completes from there', async () => {
    k = await constructKit();
    await k.deployProcess('p', CHAIN);
    const pik = await k.start('p');
    const [a] = await activeElements(pik);
    await k.core.modifyProcessInstance(pik, {
      terminateInstructions: [{ elementInstanceKey: a!.elementInstanceKey }],
      activateInstructions: [{ elementId: 'c', variableInstructions: [{ variables: { moved: true } }, { variables: { local: 1 }, scopeId: 'c' }] }],
    });
    expect((await activeElements(pik)).map((e) => e.elementId)).toEqual(['c']);
    expect((await k.queries.searchUserTasks(of(pik))).items.map((t) => t.state)).toEqual(['CANCELED']);
    const [cJob] = await k.activate('c');
    expect(cJob!.variables).toEqual({ moved: true, local: 1 });
    await k.core.completeJob(cJob!.job.jobKey);
    expect(await k.completeJobs('inner')).toBe(1);
    expect(await k.state(pik)).toBe('COMPLETED');
    expect(await k.variable(pik, 'moved')).toBe(true);
    expect(await k.variable(pik, 'local')).toBeUndefined();
    expect(await k.trail(pik)).not.toContain('b:COMPLETED');
  });

  it('activating an element inside a sub-process creates the sub-process around it, without its start event', async () => {
    k = await constructKit();
    await k.deployProcess('p', CHAIN);
    const pik = await k.start('p');
    await k.core.modifyProcessInstance(pik, {
      terminateInstructions: [],
      activateInstructions: [{ elementId: 'inner', variableInstructions: [{ variables: { x: 'in-sub' }, scopeId: 'sub' }] }],
    });
    const active = await activeElements(pik);
    expect(active.map((e) => e.elementId).sort()).toEqual(['a', 'inner', 'sub']);
    const [innerJob] = await k.activate('inner');
    expect(innerJob!.variables).toEqual({ x: 'in-sub' });
    await k.core.completeJob(innerJob!.job.jobKey);
    expect(await k.trail(pik)).not.toContain('s2:COMPLETED');
    expect((await activeElements(pik)).map((e) => e.elementId)).toEqual(['a']);
  });

  it('terminating the last active element terminates the process instance', async () => {
    k = await constructKit();
    await k.deployProcess('p', CHAIN);
    const pik = await k.start('p');
    const [a] = await activeElements(pik);
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [{ elementInstanceKey: a!.elementInstanceKey }], activateInstructions: [] });
    expect(await k.state(pik)).toBe('TERMINATED');
  });

  it('terminating the last element of a sub-process terminates the sub-process, and the instance with it', async () => {
    k = await constructKit();
    await k.deployProcess('p', CHAIN);
    const pik = await k.start('p');
    const [a] = await activeElements(pik);
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [{ elementInstanceKey: a!.elementInstanceKey }], activateInstructions: [{ elementId: 'inner', variableInstructions: [] }] });
    const inner = (await activeElements(pik)).find((e) => e.elementId === 'inner')!;
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [{ elementInstanceKey: inner.elementInstanceKey }], activateInstructions: [] });
    expect(await k.trail(pik)).toEqual(expect.arrayContaining(['inner:TERMINATED', 'sub:TERMINATED']));
    expect(await k.state(pik)).toBe('TERMINATED');
  });

  it('refuses with every reason and changes nothing', async () => {
    k = await constructKit();
    await k.deployProcess('p', `${CHAIN}<bpmn:boundaryEvent id="late" attachedToRef="c"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>${flow('f6', 'late', 'e')}`);
    const pik = await k.start('p');
    const [a] = await activeElements(pik);
    const error = await refusal(
      k.core.modifyProcessInstance(pik, {
        terminateInstructions: [{ elementInstanceKey: a!.elementInstanceKey }, { elementInstanceKey: '12345' }],
        activateInstructions: [
          { elementId: 'nowhere', variableInstructions: [] },
          { elementId: 's', variableInstructions: [] },
          { elementId: 'late', variableInstructions: [] },
          { elementId: 'b', ancestorElementInstanceKey: '777', variableInstructions: [] },
          { elementId: 'c', variableInstructions: [{ variables: { y: 1 }, scopeId: 'sub' }] },
        ],
      }),
    );
    expect(error.status).toBe(400);
    for (const part of [
      `terminate instructions with an element instance that could not be found: '12345'`,
      `activate instructions with an element that could not be found: 'nowhere'`,
      `activate instructions for elements that are unsupported: 's', 'late'. The activation of elements with type 'START_EVENT', 'BOUNDARY_EVENT' is not supported.`,
      `ancestor scope key that does not exist, or is not in an active state: '777'`,
      `variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
    ]) expect(error.detail).toContain(part);
    expect((await activeElements(pik)).map((e) => e.elementId)).toEqual(['a']);
    expect(await k.state(pik)).toBe('ACTIVE');
    expect((await refusal(k.core.modifyProcessInstance('999', { terminateInstructions: [], activateInstructions: [] }))).status).toBe(404);
  });

  it('an ambiguous flow scope needs an ancestor, which then decides where the element runs', async () => {
    k = await constructKit();
    await k.deployProcess('p', `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="s2" />${userTask('x')}${userTask('y')}${flow('g1', 's2', 'x')}</bpmn:subProcess>
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'sub')}${flow('f3', 'fork', 'sub')}`);
    const pik = await k.start('p');
    const subs = (await activeElements(pik)).filter((e) => e.elementId === 'sub');
    expect(subs).toHaveLength(2);
    const error = await refusal(k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 'y', variableInstructions: [] }] }));
    expect(error.detail).toContain(`activate instructions for an element that has a flow scope with more than one active instance: 'sub'. Can't decide`);
    const notAncestor = await refusal(
      k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 's2', ancestorElementInstanceKey: subs[0]!.elementInstanceKey, variableInstructions: [] }, { elementId: 'sub', ancestorElementInstanceKey: subs[0]!.elementInstanceKey, variableInstructions: [] }] }),
    );
    expect(notAncestor.detail).toContain(`ancestor scope key that is not an ancestor of the element to activate:\n- instance '${subs[0]!.elementInstanceKey}' of element 'sub' is not an ancestor of element 'sub'`);
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 'y', ancestorElementInstanceKey: subs[1]!.elementInstanceKey, variableInstructions: [] }] });
    const y = (await activeElements(pik)).find((e) => e.elementId === 'y')!;
    expect(k.core.runtime.elements.get(y.elementInstanceKey)!.flowScopeKey).toBe(subs[1]!.elementInstanceKey);
  });

  it('activates inside a multi-instance sub-process only in an inner instance that exists', async () => {
    k = await constructKit();
    await k.deployProcess('p', `<bpmn:startEvent id="s" /><bpmn:subProcess id="each">
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      <bpmn:startEvent id="s2" />${userTask('x')}${userTask('y')}${flow('g1', 's2', 'x')}</bpmn:subProcess>${userTask('other')}
      ${flow('f1', 's', 'each')}`);
    const pik = await k.start('p');
    const body = (await activeElements(pik)).find((e) => e.type === 'MULTI_INSTANCE_BODY')!;
    const inner = (await activeElements(pik)).filter((e) => e.elementId === 'each' && e.type === 'SUB_PROCESS');
    expect(inner).toHaveLength(2);
    const viaBody = await refusal(k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 'y', ancestorElementInstanceKey: body.elementInstanceKey, variableInstructions: [] }] }));
    expect(viaBody.detail).toContain(`activate instructions that would result in the activation of multi-instance element 'each', which is currently unsupported.`);
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 'y', ancestorElementInstanceKey: inner[0]!.elementInstanceKey, variableInstructions: [] }] });
    expect((await activeElements(pik)).filter((e) => e.elementId === 'y')).toHaveLength(1);
  });

  it('refuses an activation in a flow scope instance that is being terminated, and events after an event-based gateway', async () => {
    k = await constructKit();
    await k.deployProcess('p', `${CHAIN}${timerCatch('later')}${timerCatch('much-later')}<bpmn:eventBasedGateway id="gw" />${flow('x1', 'gw', 'later')}${flow('x2', 'gw', 'much-later')}`);
    const pik = await k.start('p');
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [], activateInstructions: [{ elementId: 'inner', variableInstructions: [] }] });
    const sub = (await activeElements(pik)).find((e) => e.elementId === 'sub')!;
    const error = await refusal(
      k.core.modifyProcessInstance(pik, {
        terminateInstructions: [{ elementInstanceKey: sub.elementInstanceKey }],
        activateInstructions: [{ elementId: 'inner', variableInstructions: [] }, { elementId: 'later', variableInstructions: [] }],
      }),
    );
    expect(error.detail).toContain(`element 'inner' requires flow scope instance '${sub.elementInstanceKey}' which is being terminated`);
    expect(error.detail).toContain(`unsupported: 'later'. The activation of events belonging to an event-based gateway is not supported.`);
  });

  it('refuses to end a process instance called by a call activity; terminating the process instance itself ends it', async () => {
    k = await constructKit();
    await k.deployProcess('child', `<bpmn:startEvent id="cs" />${userTask('work')}${flow('c1', 'cs', 'work')}`);
    await k.deployProcess('parent', `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>${flow('f1', 's', 'call')}`);
    const parent = await k.start('parent');
    const [task] = (await k.queries.searchUserTasks({ filters: [], sort: [], offset: 0, limit: 10 })).items;
    const child = task!.processInstanceKey;
    const error = await refusal(k.core.modifyProcessInstance(child, { terminateInstructions: [{ elementInstanceKey: task!.elementInstanceKey }], activateInstructions: [] }));
    expect(error.detail).toBe(`Expected to modify instance of process 'child' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`);
    expect(await k.state(child)).toBe('ACTIVE');
    await k.core.modifyProcessInstance(parent, { terminateInstructions: [{ elementInstanceKey: parent }], activateInstructions: [] });
    expect(await k.state(parent)).toBe('TERMINATED');
    expect(await k.state(child)).toBe('TERMINATED');
  });

  it('terminating one inner instance of a parallel multi-instance lets the body complete with the others', async () => {
    k = await constructKit();
    await k.deployProcess('p', `<bpmn:startEvent id="s" /><bpmn:serviceTask id="each">${job('item')}<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2, 3]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
      <bpmn:endEvent id="e" />${flow('f1', 's', 'each')}${flow('f2', 'each', 'e')}`);
    const pik = await k.start('p');
    const [first] = (await activeElements(pik)).filter((e) => e.elementId === 'each' && e.type === 'SERVICE_TASK');
    await k.core.modifyProcessInstance(pik, { terminateInstructions: [{ elementInstanceKey: first!.elementInstanceKey }], activateInstructions: [] });
    expect(await k.completeJobs('item')).toBe(2);
    expect(await k.state(pik)).toBe('COMPLETED');
  });
});
