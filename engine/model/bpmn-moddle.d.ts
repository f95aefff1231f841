// bpmn-moddle ships element typings (`bpmn-moddle/types`) but none for its entry point.
declare module 'bpmn-moddle' {
  export interface ModdleWarning {
    message: string;
    element?: { id?: string; $type?: string };
    property?: string;
    error?: Error;
  }

  export interface FromXmlResult {
    rootElement: unknown;
    warnings: ModdleWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}
