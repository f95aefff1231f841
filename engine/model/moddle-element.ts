import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

/**
 * A parsed BPMN element as bpmn-moddle returns it: `$type` (`bpmn:ServiceTask`, `zeebe:TaskDefinition`),
 * its properties by name, and `$attrs` for attributes outside the known schemas.
 */
export interface El {
  readonly $type: string;
  readonly $attrs?: Record<string, string>;
  readonly [property: string]: unknown;
}

const zeebeSchema = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json') as Record<string, unknown>;

export interface ParsedDefinitions {
  definitions: El;
  /** Moddle warnings (unknown elements/attributes, duplicate ids, unresolved references). */
  warnings: { elementId: string; message: string; inDiagram: boolean }[];
}

/** Diagram interchange (bpmndi, and the dc/di shapes it holds): how the diagram is drawn, never what runs. */
const isDiagramType = (type: string | undefined): boolean => type !== undefined && /^(bpmndi|dc|di):/.test(type);

/** Parses BPMN XML with the Zeebe extension. Throws the parser's Error when the XML is unreadable. */
export async function parseDefinitions(xml: string): Promise<ParsedDefinitions> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  return {
    definitions: rootElement as El,
    warnings: warnings.map((warning) => ({
      elementId: warning.element?.id ?? /duplicate ID <([^>]+)>/.exec(warning.message)?.[1] ?? '',
      message: warning.message.replace(/\n\s*/g, '; '),
      inDiagram: isDiagramType(warning.element?.$type),
    })),
  };
}

export function str(el: El | undefined, property: string): string | undefined {
  const value = el?.[property];
  return typeof value === 'string' ? value : undefined;
}

export function bool(el: El | undefined, property: string): boolean | undefined {
  const value = el?.[property];
  return typeof value === 'boolean' ? value : undefined;
}

export function child(el: El | undefined, property: string): El | undefined {
  const value = el?.[property];
  return isEl(value) ? value : undefined;
}

export function children(el: El | undefined, property: string): El[] {
  const value = el?.[property];
  return Array.isArray(value) ? value.filter(isEl) : [];
}

export function idOf(el: El | undefined): string {
  return str(el, 'id') ?? '';
}

export function isEl(value: unknown): value is El {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** The extension elements of a given type, e.g. `extensions(task, 'zeebe:TaskDefinition')`. */
export function extensions(el: El | undefined, type: string): El[] {
  return children(child(el, 'extensionElements'), 'values').filter((value) => value.$type === type);
}

export function extension(el: El | undefined, type: string): El | undefined {
  return extensions(el, type)[0];
}

/** `bpmn:conditionExpression`, `bpmn:timeDuration`, … : the body text of a formal expression. */
export function bodyOf(el: El | undefined): string | undefined {
  const body = str(el, 'body');
  return body === undefined ? undefined : body.trim();
}
