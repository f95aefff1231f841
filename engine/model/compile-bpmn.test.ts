import { describe, expect, it } from 'vitest';
import { compileBpmn } from './index.js';
import type { CompiledProcess } from './types.js';
import { NS, around, bpmn, flow, job } from './test-xml.js';

async function compile(xml: string): Promise<CompiledProcess> {
  const { processes, errors } = await compileBpmn('test.bpmn', xml);
  expect(errors).toEqual([]);
  expect(processes).toHaveLength(1);
  return processes[0]!;
}

const MESSAGE = '<bpmn:message id="m" name="order-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>';

describe('compileBpmn: structure', () => {
  it('compiles a simple process with flows, scope and start event', async () => {
    const p = await compile(bpmn(around(`<bpmn:serviceTask id="x" name="Work">${job('work')}</bpmn:serviceTask>`)));
    expect(p.id).toBe('p');
    expect(p.name).toBe('Test');
    expect(p.noneStartEventId).toBe('start');
    expect(p.elements.p).toMatchObject({ type: 'PROCESS', children: ['start', 'x', 'end'], noneStartEventId: 'start' });
    expect(p.elements.x).toMatchObject({
      type: 'SERVICE_TASK', name: 'Work', scopeId: 'p', incoming: ['f1'], outgoing: ['f2'],
      job: { type: 'work', retries: '3', headers: {} },
    });
    expect(p.flows.f1).toEqual({ id: 'f1', sourceId: 'start', targetId: 'x' });
  });

  it('ignores diagram interchange from Camunda Modeler files', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.30.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:extensionElements><zeebe:versionTag value="v1"/></bpmn:extensionElements>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="p">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="179" y="99" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="279" y="99" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="215" y="117"/><di:waypoint x="279" y="117"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    const p = await compile(xml);
    expect(p.versionTag).toBe('v1');
    expect(p.elements.start!.outgoing).toEqual(['f1']);
  });

  it('ignores diagram interchange that refers to elements no longer in the process (a stale plane, shape or edge)', async () => {
    const xml = `<bpmn:definitions ${NS} id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="D">
    <bpmndi:BPMNPlane id="P" bpmnElement="old_process">
      <bpmndi:BPMNShape id="gone_di" bpmnElement="deleted_task"><dc:Bounds x="1" y="1" width="100" height="80"/></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="gone_flow_di" bpmnElement="deleted_flow"><di:waypoint x="1" y="1"/><di:waypoint x="2" y="2"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    const p = await compile(xml);
    expect(Object.keys(p.elements).sort()).toEqual(['end', 'p', 'start']);
  });

  it('still refuses a process element that refers to an element that does not exist', async () => {
    const xml = bpmn(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="nowhere"/>`);
    const { processes, errors } = await compileBpmn('test.bpmn', xml);
    expect(processes).toEqual([]);
    expect(errors).toContainEqual(expect.objectContaining({ elementId: 'f1', reason: 'unresolved reference <nowhere>' }));
  });

  it('compiles every executable process of a collaboration and skips non-executable ones', async () => {
    const xml = `<bpmn:definitions ${NS} id="d">
  <bpmn:collaboration id="c"><bpmn:participant id="pa" processRef="a"/><bpmn:participant id="pb" processRef="b"/></bpmn:collaboration>
  <bpmn:process id="a" isExecutable="true"><bpmn:startEvent id="s1"/></bpmn:process>
  <bpmn:process id="b" isExecutable="true"><bpmn:startEvent id="s2"/></bpmn:process>
  <bpmn:process id="c2" isExecutable="false"><bpmn:startEvent id="s3"/></bpmn:process>
</bpmn:definitions>`;
    const { processes, errors } = await compileBpmn('c.bpmn', xml);
    expect(errors).toEqual([]);
    expect(processes.map((p) => p.id)).toEqual(['a', 'b']);
  });
});

describe('compileBpmn: tasks', () => {
  it('reads task definition retries, headers and io mappings', async () => {
    const p = await compile(bpmn(around(`<bpmn:sendTask id="x">${job('="send-" + kind', `
      <zeebe:taskHeaders><zeebe:header key="a" value="1"/><zeebe:header key="b" value="2"/></zeebe:taskHeaders>
      <zeebe:ioMapping><zeebe:input source="=order.id" target="id"/><zeebe:output source="=result" target="order.result"/></zeebe:ioMapping>`)}</bpmn:sendTask>`)));
    expect(p.elements.x).toMatchObject({
      type: 'SEND_TASK',
      job: { type: '="send-" + kind', retries: '3', headers: { a: '1', b: '2' } },
      inputMappings: [{ source: '=order.id', target: 'id' }],
      outputMappings: [{ source: '=result', target: 'order.result' }],
    });
  });

  it('keeps explicit retries and compiles business rule tasks as jobs', async () => {
    const p = await compile(bpmn(around('<bpmn:businessRuleTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="rules" retries="5"/></bpmn:extensionElements></bpmn:businessRuleTask>')));
    expect(p.elements.x).toMatchObject({ type: 'BUSINESS_RULE_TASK', job: { type: 'rules', retries: '5' } });
  });

  it('compiles FEEL script tasks and job script tasks', async () => {
    const feel = await compile(bpmn(around('<bpmn:scriptTask id="x"><bpmn:extensionElements><zeebe:script expression="=a + 1" resultVariable="b"/></bpmn:extensionElements></bpmn:scriptTask>')));
    expect(feel.elements.x).toMatchObject({ type: 'SCRIPT_TASK', script: { expression: '=a + 1', resultVariable: 'b' } });
    const asJob = await compile(bpmn(around(`<bpmn:scriptTask id="x">${job('script')}</bpmn:scriptTask>`)));
    expect(asJob.elements.x!.job?.type).toBe('script');
  });

  it('compiles Camunda user tasks with form, assignment, schedule, priority and headers', async () => {
    const p = await compile(bpmn(around(`<bpmn:userTask id="x"><bpmn:extensionElements>
      <zeebe:userTask/>
      <zeebe:formDefinition formId="approve-form"/>
      <zeebe:assignmentDefinition assignee="=owner" candidateGroups="reviewers, admins" candidateUsers="=users"/>
      <zeebe:taskSchedule dueDate="2027-01-01T00:00:00Z" followUpDate="=followUp"/>
      <zeebe:priorityDefinition priority="80"/>
      <zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>
    </bpmn:extensionElements></bpmn:userTask>`)));
    expect(p.elements.x!.userTask).toEqual({
      formId: 'approve-form', assignee: '=owner', candidateGroups: 'reviewers, admins', candidateUsers: '=users',
      dueDate: '2027-01-01T00:00:00Z', followUpDate: '=followUp', priority: '80', headers: { k: 'v' },
    });
  });

  it('compiles task listeners in model order with default retries', async () => {
    const p = await compile(bpmn(around(`<bpmn:userTask id="x"><bpmn:extensionElements>
      <zeebe:userTask/>
      <zeebe:taskListeners>
        <zeebe:taskListener eventType="completing" type="check" retries="5"/>
        <zeebe:taskListener eventType="creating" type="=kind"/>
        <zeebe:taskListener eventType="completing" type="audit"/>
      </zeebe:taskListeners>
    </bpmn:extensionElements></bpmn:userTask>`)));
    expect(p.elements.x!.userTask!.listeners).toEqual([
      { eventType: 'completing', type: 'check', retries: '5' },
      { eventType: 'creating', type: '=kind', retries: '3' },
      { eventType: 'completing', type: 'audit', retries: '3' },
    ]);
  });

  it('reads an external form reference', async () => {
    const p = await compile(bpmn(around('<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition externalReference="=url"/></bpmn:extensionElements></bpmn:userTask>')));
    expect(p.elements.x!.userTask).toEqual({ externalReference: '=url', headers: {} });
  });

  it('compiles receive tasks with message name and correlation key', async () => {
    const p = await compile(bpmn(around('<bpmn:receiveTask id="x" messageRef="m"/>'), MESSAGE));
    expect(p.elements.x).toMatchObject({ type: 'RECEIVE_TASK', eventDefinition: { kind: 'message', name: 'order-paid', correlationKey: '=orderId' } });
  });

  it('passes manual and plain tasks through', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="start"/><bpmn:manualTask id="m"/><bpmn:task id="t"/>${flow('f1', 'start', 'm')}${flow('f2', 'm', 't')}`));
    expect(p.elements.m!.type).toBe('MANUAL_TASK');
    expect(p.elements.t!.type).toBe('TASK');
  });

  it('compiles call activities with propagation defaults', async () => {
    const p = await compile(bpmn(around('<bpmn:callActivity id="x"><bpmn:extensionElements><zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>')));
    expect(p.elements.x!.calledElement).toEqual({ processId: 'child', propagateAllChildVariables: true, propagateAllParentVariables: true });
    const q = await compile(bpmn(around('<bpmn:callActivity id="x"><bpmn:extensionElements><zeebe:calledElement processId="=childId" propagateAllChildVariables="false" propagateAllParentVariables="false"/></bpmn:extensionElements></bpmn:callActivity>')));
    expect(q.elements.x!.calledElement).toEqual({ processId: '=childId', propagateAllChildVariables: false, propagateAllParentVariables: false });
  });

  it('compiles multi-instance activities keeping their own type', async () => {
    const p = await compile(bpmn(around(`<bpmn:serviceTask id="x">${job()}
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result"/></bpmn:extensionElements>
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=done</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`)));
    expect(p.elements.x).toMatchObject({
      type: 'SERVICE_TASK',
      multiInstance: { sequential: true, inputCollection: '=items', inputElement: 'item', outputCollection: 'results', outputElement: '=result', completionCondition: '=done' },
    });
    const parallel = await compile(bpmn(around(`<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`)));
    expect(parallel.elements.x!.multiInstance).toEqual({ sequential: false, inputCollection: '=[1,2]' });
  });
});

describe('compileBpmn: gateways', () => {
  it('compiles exclusive gateways with conditions and a default flow', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="f3"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
      ${flow('f1', 'start', 'g')}${flow('f2', 'g', 'a', '=x > 1')}${flow('f3', 'g', 'b')}`));
    expect(p.elements.g).toMatchObject({ type: 'EXCLUSIVE_GATEWAY', defaultFlow: 'f3', outgoing: ['f2', 'f3'] });
    expect(p.flows.f2!.condition).toBe('=x > 1');
  });

  it('compiles parallel, inclusive and event-based gateways', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:inclusiveGateway id="inc"/>
      <bpmn:eventBasedGateway id="ebg"/><bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="tmr"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
      ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'inc')}${flow('f3', 'fork', 'ebg')}${flow('f4', 'inc', 'e1')}
      ${flow('f5', 'ebg', 'msg')}${flow('f6', 'ebg', 'tmr')}${flow('f7', 'msg', 'e2')}${flow('f8', 'tmr', 'e3')}`, MESSAGE));
    expect(p.elements.fork!.type).toBe('PARALLEL_GATEWAY');
    expect(p.elements.inc!.type).toBe('INCLUSIVE_GATEWAY');
    expect(p.elements.ebg).toMatchObject({ type: 'EVENT_BASED_GATEWAY', outgoing: ['f5', 'f6'] });
    expect(p.elements.tmr!.eventDefinition).toEqual({ kind: 'timer', timerType: 'duration', expression: 'PT1H' });
  });
});

describe('compileBpmn: events', () => {
  it('lists message, timer and signal start events of the process', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="none"><bpmn:extensionElements><zeebe:formDefinition formId="start-form"/></bpmn:extensionElements></bpmn:startEvent>
      <bpmn:startEvent id="ms"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
      <bpmn:startEvent id="ts"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:startEvent id="ss"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>`,
      '<bpmn:message id="m" name="start-me"/><bpmn:signal id="sig" name="go"/>'));
    expect(p.noneStartEventId).toBe('none');
    expect(p.startFormId).toBe('start-form');
    expect(p.messageStartEventIds).toEqual(['ms']);
    expect(p.timerStartEventIds).toEqual(['ts']);
    expect(p.signalStartEventIds).toEqual(['ss']);
    expect(p.elements.ms!.eventDefinition).toEqual({ kind: 'message', name: 'start-me' });
    expect(p.elements.ss!.eventDefinition).toEqual({ kind: 'signal', name: 'go' });
  });

  it('compiles end events: error, terminate, message job, escalation, signal', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="start"/><bpmn:parallelGateway id="g"/>
      <bpmn:endEvent id="err"><bpmn:errorEventDefinition errorRef="e"/></bpmn:endEvent>
      <bpmn:endEvent id="term"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="msg">${job('notify')}<bpmn:messageEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="esc"><bpmn:escalationEventDefinition escalationRef="x"/></bpmn:endEvent>
      <bpmn:endEvent id="sig"><bpmn:signalEventDefinition signalRef="s"/></bpmn:endEvent>
      ${flow('f0', 'start', 'g')}${['err', 'term', 'msg', 'esc', 'sig'].map((t) => flow(`to-${t}`, 'g', t)).join('')}`,
      '<bpmn:error id="e" errorCode="BAD"/><bpmn:escalation id="x" escalationCode="UP"/><bpmn:signal id="s" name="done"/>'));
    expect(p.elements.err!.eventDefinition).toEqual({ kind: 'error', errorCode: 'BAD' });
    expect(p.elements.term!.eventDefinition).toEqual({ kind: 'terminate' });
    expect(p.elements.msg).toMatchObject({ eventDefinition: { kind: 'message', name: '' }, job: { type: 'notify' } });
    expect(p.elements.esc!.eventDefinition).toEqual({ kind: 'escalation', escalationCode: 'UP' });
    expect(p.elements.sig!.eventDefinition).toEqual({ kind: 'signal', name: 'done' });
  });

  it('compiles intermediate throw and catch events including links', async () => {
    const p = await compile(bpmn(`<bpmn:startEvent id="start"/>
      <bpmn:intermediateThrowEvent id="none"/>
      <bpmn:intermediateThrowEvent id="sig"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateThrowEvent id="esc"><bpmn:escalationEventDefinition escalationRef="x"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateThrowEvent id="msg">${job('send')}<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="L1"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L1"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="sigc"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flow('f1', 'start', 'none')}${flow('f2', 'none', 'sig')}${flow('f3', 'sig', 'esc')}${flow('f4', 'esc', 'msg')}${flow('f5', 'msg', 'jump')}
      ${flow('f6', 'land', 'wait')}${flow('f7', 'wait', 'sigc')}${flow('f8', 'sigc', 'end')}`,
      `${MESSAGE}<bpmn:escalation id="x" escalationCode="UP"/><bpmn:signal id="s" name="go"/>`));
    expect(p.elements.none!.eventDefinition).toBeUndefined();
    expect(p.elements.msg).toMatchObject({ eventDefinition: { kind: 'message', name: 'order-paid' }, job: { type: 'send' } });
    expect(p.elements.jump!.eventDefinition).toEqual({ kind: 'link', name: 'L1' });
    expect(p.elements.land!.eventDefinition).toEqual({ kind: 'link', name: 'L1' });
    expect(p.elements.wait!.eventDefinition).toEqual({ kind: 'timer', timerType: 'date', expression: '2030-01-01T00:00:00Z' });
  });

  it('attaches boundary events to their activity', async () => {
    const p = await compile(bpmn(`${around(`<bpmn:serviceTask id="x">${job()}</bpmn:serviceTask>`)}
      <bpmn:boundaryEvent id="onError" attachedToRef="x"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="reminder" attachedToRef="x" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="onMsg" attachedToRef="x"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="onSig" attachedToRef="x" cancelActivity="false"><bpmn:signalEventDefinition signalRef="s"/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="onEsc" attachedToRef="x"><bpmn:escalationEventDefinition escalationRef="x2"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="e2"/>
      ${['onError', 'reminder', 'onMsg', 'onSig', 'onEsc'].map((b) => flow(`from-${b}`, b, 'e2')).join('')}`,
      `${MESSAGE}<bpmn:signal id="s" name="go"/><bpmn:escalation id="x2" escalationCode="UP"/>`));
    expect(p.elements.x!.boundaryEvents).toEqual(['onError', 'reminder', 'onMsg', 'onSig', 'onEsc']);
    expect(p.elements.onError).toMatchObject({ type: 'BOUNDARY_EVENT', attachedTo: 'x', cancelActivity: true, eventDefinition: { kind: 'error' } });
    expect(p.elements.reminder).toMatchObject({ cancelActivity: false, eventDefinition: { kind: 'timer', timerType: 'cycle', expression: 'R3/PT1H' } });
    expect(p.elements.onEsc!.eventDefinition).toEqual({ kind: 'escalation', escalationCode: 'UP' });
  });
});

describe('compileBpmn: sub-processes', () => {
  it('compiles embedded sub-processes as scopes', async () => {
    const p = await compile(bpmn(around(`<bpmn:subProcess id="x"><bpmn:startEvent id="s2"/><bpmn:task id="inner"/><bpmn:endEvent id="e2"/>
      ${flow('g1', 's2', 'inner')}${flow('g2', 'inner', 'e2')}</bpmn:subProcess>`)));
    expect(p.elements.x).toMatchObject({ type: 'SUB_PROCESS', children: ['s2', 'inner', 'e2'], noneStartEventId: 's2', eventSubProcesses: [] });
    expect(p.elements.inner!.scopeId).toBe('x');
    expect(p.flows.g1).toEqual({ id: 'g1', sourceId: 's2', targetId: 'inner' });
    expect(p.elements.p!.children).toEqual(['start', 'x', 'end']);
  });

  it('compiles event sub-processes with interrupting and non-interrupting starts', async () => {
    const esp = (id: string, start: string, interrupting: boolean, definition: string) =>
      `<bpmn:subProcess id="${id}" triggeredByEvent="true"><bpmn:startEvent id="${start}" isInterrupting="${interrupting}">${definition}</bpmn:startEvent>
       <bpmn:endEvent id="${id}-end"/>${flow(`${id}-f`, start, `${id}-end`)}</bpmn:subProcess>`;
    const p = await compile(bpmn(`${around('<bpmn:task id="x"/>')}
      ${esp('onError', 'es1', true, '<bpmn:errorEventDefinition errorRef="e"/>')}
      ${esp('onMsg', 'es2', false, '<bpmn:messageEventDefinition messageRef="m"/>')}
      ${esp('onTimer', 'es3', false, '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>')}
      ${esp('onSignal', 'es4', true, '<bpmn:signalEventDefinition signalRef="s"/>')}
      ${esp('onEscalation', 'es5', false, '<bpmn:escalationEventDefinition/>')}`,
      `${MESSAGE}<bpmn:error id="e" errorCode="E"/><bpmn:signal id="s" name="go"/>`));
    expect(p.elements.p!.eventSubProcesses).toEqual(['onError', 'onMsg', 'onTimer', 'onSignal', 'onEscalation']);
    expect(p.elements.onError).toMatchObject({ type: 'EVENT_SUB_PROCESS', eventSubProcessStartId: 'es1', children: ['es1', 'onError-end'] });
    expect(p.elements.es1).toMatchObject({ type: 'START_EVENT', interrupting: true, scopeId: 'onError', eventDefinition: { kind: 'error', errorCode: 'E' } });
    expect(p.elements.es2).toMatchObject({ interrupting: false, eventDefinition: { kind: 'message', name: 'order-paid', correlationKey: '=orderId' } });
    expect(p.elements.es5!.eventDefinition).toEqual({ kind: 'escalation' });
    expect(p.messageStartEventIds).toEqual([]);
  });
});

describe('compileBpmn: things the engine ignores', () => {
  it('ignores lanes, text annotations, data objects and zeebe:properties', async () => {
    const p = await compile(bpmn(`
      <bpmn:laneSet id="ls"><bpmn:lane id="lane"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:dataObjectReference id="dor" dataObjectRef="do"/><bpmn:dataObject id="do"/>
      ${around('<bpmn:task id="x"><bpmn:extensionElements><zeebe:properties><zeebe:property name="a" value="b"/></zeebe:properties></bpmn:extensionElements></bpmn:task>')}
      <bpmn:textAnnotation id="note"><bpmn:text>hello</bpmn:text></bpmn:textAnnotation>
      <bpmn:association id="assoc" sourceRef="x" targetRef="note"/>`));
    expect(Object.keys(p.elements)).toEqual(['p', 'start', 'x', 'end']);
  });
});
