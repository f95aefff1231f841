/** Small XML builders for the compiler's unit tests. */

export const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:modeler="http://camunda.org/schema/modeler/1.0"';

/** A definitions document with one executable process `p` holding `body`, plus extra root elements. */
export function bpmn(body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="defs" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud">
  <bpmn:process id="p" name="Test" isExecutable="true">${body}</bpmn:process>${roots}
</bpmn:definitions>`;
}

export function flow(id: string, source: string, target: string, condition?: string): string {
  const inner = condition === undefined
    ? ''
    : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(condition)}</bpmn:conditionExpression>`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${inner}</bpmn:sequenceFlow>`;
}

/** `start -> (node) -> end` around one element with id `x`. */
export function around(node: string): string {
  return `<bpmn:startEvent id="start"/>${node}<bpmn:endEvent id="end"/>${flow('f1', 'start', 'x')}${flow('f2', 'x', 'end')}`;
}

export function job(type = 'work', extra = ''): string {
  return `<bpmn:extensionElements><zeebe:taskDefinition type="${escapeXml(type)}"/>${extra}</bpmn:extensionElements>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
