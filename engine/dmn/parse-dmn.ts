import { DmnModdle } from 'dmn-moddle';
import type { El } from '../model/moddle-element.js';

/** DMN 1.3's model namespace, which dmn-moddle reads. */
const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMNDI13 = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';

/**
 * Older namespaces Camunda Modeler writes (DMN 1.1 and 1.2), read as DMN 1.3: the elements Camunda runs (decisions,
 * decision tables, literal expressions, requirements) are spelled the same in all three.
 */
const OLDER_NAMESPACES: readonly [string, string][] = [
  ['http://www.omg.org/spec/DMN/20151101/dmn.xsd', DMN13],
  ['http://www.omg.org/spec/DMN/20180521/MODEL/', DMN13],
  ['https://www.omg.org/spec/DMN/20180521/MODEL/', DMN13],
  ['http://www.omg.org/spec/DMN/20180521/DMNDI/', DMNDI13],
  ['https://www.omg.org/spec/DMN/20180521/DMNDI/', DMNDI13],
];

export interface ParsedDmn {
  definitions: El;
  /** Moddle warnings (duplicate ids, unknown elements or attributes), without those in diagram interchange. */
  warnings: { elementId: string; message: string }[];
}

/** Diagram interchange (how the DRD is drawn) never decides what runs. */
const isDiagramType = (type: string | undefined): boolean => type !== undefined && /^(dmndi|dc|di|biodi):/.test(type);

/** Parses DMN 1.1/1.2/1.3 XML. Throws the parser's Error when the XML is unreadable or not DMN. */
export async function parseDmn(xml: string): Promise<ParsedDmn> {
  let text = xml;
  for (const [older, current] of OLDER_NAMESPACES) {
    for (const quote of ['"', "'"]) text = text.split(`${quote}${older}${quote}`).join(`${quote}${current}${quote}`);
  }
  const moddle = new DmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(text, 'dmn:Definitions');
  return {
    definitions: rootElement as El,
    warnings: warnings
      .filter((warning) => !isDiagramType(warning.element?.$type))
      .map((warning) => ({
        elementId: warning.element?.id ?? /duplicate ID <([^>]+)>/.exec(warning.message)?.[1] ?? '',
        message: warning.message.replace(/\n\s*/g, '; '),
      })),
  };
}
