// dmn-moddle ships no typings for its entry point.
declare module 'dmn-moddle' {
  export interface ModdleWarning {
    message: string;
    element?: { id?: string; $type?: string };
  }

  export interface FromXmlResult {
    rootElement: unknown;
    warnings: ModdleWarning[];
  }

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}
