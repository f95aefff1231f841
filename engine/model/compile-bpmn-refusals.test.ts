import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, REFUSED_EVENT_DEFINITIONS } from '../constructs/events/definitions.js';
import { REFUSED_TYPES } from './compile-element.js';
import type { EventPosition } from './event-kind.js';
import { compileBpmn } from './index.js';
import { around, bpmn, flow, job } from './test-xml.js';

/** Compiles and returns the refusals as `elementId: reason` lines. */
async function refusals(xml: string): Promise<string[]> {
  const { processes, errors } = await compileBpmn('bad.bpmn', xml);
  if (errors.length > 0) expect(processes).toEqual([]);
  for (const error of errors) expect(error.resourceName).toBe('bad.bpmn');
  return errors.map((e) => `${e.elementId}: ${e.reason}`);
}

function expectRefusal(lines: string[], elementId: string, reason: string): void {
  expect(lines.some((line) => line.startsWith(`${elementId}: `) && line.includes(reason)), `${lines.join('\n')}\n--- expected ${elementId}: …${reason}…`).toBe(true);
}

const listener = (eventType: string, type: string, retries?: string) =>
  `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask/><zeebe:taskListeners><zeebe:taskListener eventType="${eventType}" type="${type}"${retries === undefined ? '' : ` retries="${retries}"`}/></zeebe:taskListeners></bpmn:extensionElements></bpmn:userTask>`;

const withMessage = (name: string, key?: string) =>
  `<bpmn:message id="m"${name ? ` name="${name}"` : ''}>${key === undefined ? '' : `<bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements>`}</bpmn:message>`;

describe('compileBpmn refuses unreadable input', () => {
  it('reports unparseable XML with an empty element id', async () => {
    const lines = await refusals('<bpmn:definitions');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^: the resource is not readable BPMN XML/);
  });

  it('reports unknown elements and attributes', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="start" foo="1"/><zeebe:nonsense/>`));
    expectRefusal(lines, 'start', 'unknown attribute <foo>');
    expect(lines.some((l) => l.includes('zeebe:nonsense'))).toBe(true);
  });

  it('refuses duplicated ids', async () => {
    const lines = await refusals(bpmn('<bpmn:startEvent id="a"/><bpmn:task id="a"/>'));
    expectRefusal(lines, 'a', 'duplicate');
  });

  it('refuses a resource without an executable process', async () => {
    const lines = await refusals(bpmn('').replace('isExecutable="true"', 'isExecutable="false"'));
    expectRefusal(lines, '', 'no executable process');
  });
});

describe('compileBpmn refuses unsupported elements', () => {
  const cases: [string, string, string][] = [
    ['service task without type', '<bpmn:serviceTask id="x"/>', 'service task has no zeebe:taskDefinition type'],
    ['service task with empty type', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type=""/></bpmn:extensionElements></bpmn:serviceTask>', 'no zeebe:taskDefinition type'],
    ['task listeners on a job-worker user task', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:taskListeners><zeebe:taskListener eventType="completing" type="l"/></zeebe:taskListeners></bpmn:extensionElements></bpmn:userTask>', 'task listeners are only supported on Camunda user tasks'],
    ['embedded form key', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formKey="camunda-forms:bpmn:f"/></bpmn:extensionElements></bpmn:userTask>', 'formKey'],
    ['called decision without result variable', '<bpmn:businessRuleTask id="x"><bpmn:extensionElements><zeebe:calledDecision decisionId="d"/></bpmn:extensionElements></bpmn:businessRuleTask>', 'zeebe:calledDecision needs a resultVariable'],
    ['called decision without decision id', '<bpmn:businessRuleTask id="x"><bpmn:extensionElements><zeebe:calledDecision resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>', 'zeebe:calledDecision needs a decisionId'],
    ['called decision with unknown binding', '<bpmn:businessRuleTask id="x"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="newest"/></bpmn:extensionElements></bpmn:businessRuleTask>', "bindingType 'newest' is not supported"],
    ['called decision bound to a version tag without one', '<bpmn:businessRuleTask id="x"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="versionTag"/></bpmn:extensionElements></bpmn:businessRuleTask>', "bindingType 'versionTag' needs a versionTag"],
    ['script task without script', '<bpmn:scriptTask id="x"/>', 'script task needs zeebe:script'],
    ['script without result variable', '<bpmn:scriptTask id="x"><bpmn:extensionElements><zeebe:script expression="=1"/></bpmn:extensionElements></bpmn:scriptTask>', 'resultVariable'],
    ['static script', '<bpmn:scriptTask id="x"><bpmn:extensionElements><zeebe:script expression="1" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>', "must be a FEEL expression starting with '='"],
    ['call activity without process id', '<bpmn:callActivity id="x"/>', 'call activity needs zeebe:calledElement processId'],
    ['compensation activity', `<bpmn:serviceTask id="x" isForCompensation="true">${job()}</bpmn:serviceTask>`, 'compensation is not supported'],
    ['execution listeners', `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="a"/><zeebe:executionListeners><zeebe:executionListener eventType="start" type="l"/></zeebe:executionListeners></bpmn:extensionElements></bpmn:serviceTask>`, 'execution listeners not supported'],
    ['canceling task listener', listener('canceling', 'l'), "eventType 'canceling' is not supported"],
    ['unknown task listener event type', listener('complete', 'l'), "task listener eventType 'complete' is not supported; use one of creating, assigning, updating, completing"],
    ['task listener without type', listener('completing', ''), 'task listener (completing) has no type'],
    ['task listener with bad retries', listener('assigning', 'l', 'x'), "task listener (assigning) retries 'x' is not a whole number"],
    ['task listener with bad FEEL type', listener('updating', '=a +'), 'task listener (updating) type is not a valid FEEL expression'],
    ['standard loop', '<bpmn:task id="x"><bpmn:standardLoopCharacteristics/></bpmn:task>', 'bpmn:StandardLoopCharacteristics is not supported'],
    ['multi-instance without input collection', '<bpmn:task id="x"><bpmn:multiInstanceLoopCharacteristics/></bpmn:task>', 'inputCollection'],
    ['multi-instance output collection without element', '<bpmn:task id="x"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=l" outputCollection="r"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:task>', 'outputCollection needs an outputElement'],
    ['static input collection', '<bpmn:task id="x"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="items"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:task>', 'inputCollection must be a FEEL expression'],
    ['bad retries', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="a" retries="many"/></bpmn:extensionElements></bpmn:serviceTask>', 'retries'],
    ['bad priority', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask/><zeebe:priorityDefinition priority="101"/></bpmn:extensionElements></bpmn:userTask>', 'priority'],
    ['bad mapping target', `<bpmn:serviceTask id="x">${job('a', '<zeebe:ioMapping><zeebe:input source="=1" target="a..b"/></zeebe:ioMapping>')}</bpmn:serviceTask>`, 'target'],
  ];
  for (const [what, node, reason] of cases) {
    it(`refuses ${what}`, async () => {
      expectRefusal(await refusals(bpmn(around(node))), 'x', reason);
    });
  }

  it('refuses every offending element, not only the first', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:complexGateway id="g1"/><bpmn:serviceTask id="t1"/><bpmn:scriptTask id="u1"/>`));
    expect(lines.map((l) => l.split(':')[0])).toEqual(expect.arrayContaining(['g1', 't1', 'u1']));
  });
});

describe('compileBpmn refuses unsupported events', () => {
  const event = (tag: string, inner: string, attrs = '') => `<bpmn:${tag} id="x"${attrs}>${inner}</bpmn:${tag}>`;
  const cases: [string, string, string, string?][] = [
    ['message catch without name', event('intermediateCatchEvent', '<bpmn:messageEventDefinition messageRef="m"/>'), 'message catch event needs a message with a name', withMessage('')],
    ['message catch without correlation key', event('intermediateCatchEvent', '<bpmn:messageEventDefinition messageRef="m"/>'), 'message catch event needs zeebe:subscription correlationKey', withMessage('n')],
    ['receive task without correlation key', '<bpmn:receiveTask id="x" messageRef="m"/>', 'receive task needs zeebe:subscription correlationKey', withMessage('n')],
    ['message throw without job', event('intermediateThrowEvent', '<bpmn:messageEventDefinition/>'), 'message throw event needs zeebe:taskDefinition'],
    ['error end without code', event('endEvent', '<bpmn:errorEventDefinition/>'), 'error end event needs an error'],
    ['escalation throw without code', event('intermediateThrowEvent', '<bpmn:escalationEventDefinition/>'), 'escalation throw event needs an escalation'],
    ['signal without name', event('intermediateCatchEvent', '<bpmn:signalEventDefinition/>'), 'signal event needs a signal'],
    ['none intermediate catch', event('intermediateCatchEvent', ''), 'intermediate catch event needs'],
    ['timer cycle on intermediate catch', event('intermediateCatchEvent', '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>'), 'not a timeCycle'],
    ['invalid static timer', event('intermediateCatchEvent', '<bpmn:timerEventDefinition><bpmn:timeDuration>soon</bpmn:timeDuration></bpmn:timerEventDefinition>'), 'invalid timeDuration'],
    ['timer without value', event('intermediateCatchEvent', '<bpmn:timerEventDefinition/>'), 'exactly one of timeDuration'],
    ['multiple event definitions', event('intermediateCatchEvent', '<bpmn:signalEventDefinition signalRef="s"/><bpmn:signalEventDefinition signalRef="s"/>'), 'several event definitions', '<bpmn:signal id="s" name="s"/>'],
  ];
  for (const [what, node, reason, roots] of cases) {
    it(`refuses ${what}`, async () => {
      expectRefusal(await refusals(bpmn(around(node), roots)), 'x', reason);
    });
  }

  it('refuses start events that are unsupported on the process level', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:startEvent id="errStart"><bpmn:errorEventDefinition/></bpmn:startEvent>`));
    expectRefusal(lines, 'errStart', 'error event is not supported as process start event');
  });

  it('refuses a timer start event inside a sub-process', async () => {
    const lines = await refusals(bpmn(around(`<bpmn:subProcess id="x"><bpmn:startEvent id="inner">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>`)));
    expectRefusal(lines, 'inner', 'timer start event inside sub-process');
    expectRefusal(lines, 'x', 'sub-process needs exactly one none start event');
  });

  it('refuses interrupting timer cycles and non-interrupting error boundaries', async () => {
    const lines = await refusals(bpmn(`${around('<bpmn:task id="x"/>')}
      <bpmn:boundaryEvent id="cyc" attachedToRef="x"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="err" attachedToRef="x" cancelActivity="false"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="e2"/>${flow('b1', 'cyc', 'e2')}${flow('b2', 'err', 'e2')}`));
    expectRefusal(lines, 'cyc', 'interrupting timer event with a timeCycle is not allowed');
    expectRefusal(lines, 'err', 'must be interrupting');
  });

  it('refuses a boundary event without outgoing flow or on a non-activity', async () => {
    const lines = await refusals(bpmn(`${around('<bpmn:task id="x"/>')}
      <bpmn:boundaryEvent id="b" attachedToRef="x"><bpmn:signalEventDefinition signalRef="s"/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="b2" attachedToRef="end"><bpmn:signalEventDefinition signalRef="s"/></bpmn:boundaryEvent>`, '<bpmn:signal id="s" name="s"/>'));
    expectRefusal(lines, 'b', 'needs at least one outgoing sequence flow');
    expectRefusal(lines, 'b2', 'must be attached to an activity');
  });

  it('refuses link events without partner', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/>
      <bpmn:intermediateThrowEvent id="t"><bpmn:linkEventDefinition name="A"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="c"><bpmn:linkEventDefinition name="B"/></bpmn:intermediateCatchEvent>${flow('f', 's', 't')}`));
    expectRefusal(lines, 't', 'link throw without matching catch');
    expectRefusal(lines, 'c', 'link catch without matching throw');
  });

  it('refuses event sub-processes with a none start or flows', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="inner"/></bpmn:subProcess>`));
    expectRefusal(lines, 'inner', 'none event is not supported as event sub-process start event');
  });
});

describe('compileBpmn validates like Zeebe at deploy time', () => {
  it('refuses a process without start event', async () => {
    expectRefusal(await refusals(bpmn('<bpmn:task id="t"/>')), 'p', 'process has no start event');
  });

  it('refuses several none start events', async () => {
    expectRefusal(await refusals(bpmn('<bpmn:startEvent id="a"/><bpmn:startEvent id="b"/>')), 'p', 'multiple none start events');
  });

  it('refuses exclusive gateway flows without condition that are not the default', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'a', '=x')}${flow('f3', 'g', 'b')}`));
    expectRefusal(lines, 'f3', "needs a condition expression or must be the gateway's default flow");
  });

  it('accepts an inclusive gateway with only one outgoing flow and no condition', async () => {
    expect(await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:inclusiveGateway id="g"/><bpmn:endEvent id="a"/>${flow('f1', 's', 'g')}${flow('f2', 'g', 'a')}`))).toEqual([]);
  });

  it('refuses conditions on parallel gateway flows', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:parallelGateway id="g"/><bpmn:endEvent id="a"/>${flow('f1', 's', 'g')}${flow('f2', 'g', 'a', '=x')}`));
    expectRefusal(lines, 'f2', 'parallel gateway');
  });

  it('refuses conditions that are not FEEL or do not parse', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'a', 'x > 1')}${flow('f3', 'g', 'b', '=x >')}`));
    expectRefusal(lines, 'f2', "condition expression must be a FEEL expression starting with '='");
    expectRefusal(lines, 'f3', 'condition expression is not a valid FEEL expression');
  });

  it('names the element and attribute of an invalid FEEL expression', async () => {
    const lines = await refusals(bpmn(around(`<bpmn:serviceTask id="x">${job('=foo(')}</bpmn:serviceTask>`)));
    expectRefusal(lines, 'x', "zeebe:taskDefinition type is not a valid FEEL expression '=foo('");
    const mapping = await refusals(bpmn(around(`<bpmn:task id="x"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=a +" target="b"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>`)));
    expectRefusal(mapping, 'x', "zeebe:output source for 'b' is not a valid FEEL expression");
  });

  it('refuses an event-based gateway leading to something other than a catch event', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="g"/><bpmn:task id="t"/>
      <bpmn:intermediateCatchEvent id="c"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 't')}${flow('f3', 'g', 'c')}`));
    expectRefusal(lines, 't', 'event-based gateway target must be a message/timer/signal catch event or receive task');
  });

  it('refuses a default flow that does not leave the element', async () => {
    const lines = await refusals(bpmn(`<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" default="f1"/><bpmn:endEvent id="a"/>${flow('f1', 's', 'g')}${flow('f2', 'g', 'a')}`));
    expectRefusal(lines, 'g', "default flow 'f1' is not an outgoing sequence flow");
  });
});

/** `bpmn:ComplexGateway` → `bpmn:complexGateway`, as written in XML. */
const xmlTag = (type: string) => type.replace(/:(.)/, (_m, first: string) => `:${first.toLowerCase()}`);

/** A process body with an event `x` at `position` carrying `definition` (an XML element, or '' for none). */
function eventAt(position: EventPosition, definition: string): string {
  const ev = (tag: string, attrs = '') => `<bpmn:${tag} id="x"${attrs}>${definition}</bpmn:${tag}>`;
  switch (position) {
    case 'process start':
      return `${ev('startEvent')}<bpmn:endEvent id="end"/>${flow('f1', 'x', 'end')}`;
    case 'sub-process start':
      return `<bpmn:startEvent id="s"/><bpmn:subProcess id="sub">${ev('startEvent')}<bpmn:endEvent id="se"/>${flow('sf', 'x', 'se')}</bpmn:subProcess>
        <bpmn:endEvent id="end"/>${flow('f1', 's', 'sub')}${flow('f2', 'sub', 'end')}`;
    case 'event sub-process start':
      return `<bpmn:startEvent id="s"/><bpmn:subProcess id="esp" triggeredByEvent="true">${ev('startEvent')}</bpmn:subProcess>`;
    case 'end':
      return `<bpmn:startEvent id="s"/>${ev('endEvent')}${flow('f1', 's', 'x')}`;
    case 'intermediate throw':
      return around(ev('intermediateThrowEvent'));
    case 'intermediate catch':
      return around(ev('intermediateCatchEvent'));
    case 'boundary':
      return `<bpmn:startEvent id="s"/><bpmn:task id="t"/><bpmn:endEvent id="end"/>${flow('f1', 's', 't')}${flow('f2', 't', 'end')}
        ${ev('boundaryEvent', ' attachedToRef="t"')}<bpmn:endEvent id="e2"/>${flow('b1', 'x', 'e2')}`;
  }
}

const POSITIONS: readonly EventPosition[] = ['process start', 'sub-process start', 'event sub-process start', 'end', 'intermediate throw', 'intermediate catch', 'boundary'];

// Derived from the compiler's own lists: a listed kind is proven refused wherever it can be written, and taking a
// kind off a list (because the engine now runs it) needs no edit here.
describe('compileBpmn refuses what its lists refuse', () => {
  for (const [type, reason] of Object.entries(REFUSED_TYPES)) {
    it(`refuses ${type}: ${reason}`, async () => {
      expectRefusal(await refusals(bpmn(around(`<${xmlTag(type)} id="x"/>`))), 'x', reason);
    });
  }
  for (const [type, reason] of Object.entries(REFUSED_EVENT_DEFINITIONS)) {
    for (const position of POSITIONS) {
      it(`refuses ${type} on a ${position} event: ${reason}`, async () => {
        expectRefusal(await refusals(bpmn(eventAt(position, `<${xmlTag(type)}/>`))), 'x', reason);
      });
    }
  }
});

// Derived from each kind's declared positions: outside them the compiler refuses it by position.
describe('compileBpmn accepts each event kind only at its declared positions', () => {
  for (const kind of Object.values(EVENT_KINDS)) {
    for (const position of POSITIONS) {
      const allowed = kind.positions.includes(position);
      it(`${kind.kind} event ${allowed ? 'passes' : 'is refused'} as ${position} event`, async () => {
        const definition = kind.xmlType ? `<${xmlTag(kind.xmlType)}/>` : '';
        const byPosition = (await refusals(bpmn(eventAt(position, definition)))).filter(
          (line) => line.startsWith('x: ') && (line.includes(`as ${position} event`) || line.includes('start event inside sub-process')),
        );
        expect(byPosition, byPosition.join('\n')).toHaveLength(allowed ? 0 : 1);
        expect(byPosition.every((line) => line.includes(kind.kind))).toBe(true);
      });
    }
  }
});
