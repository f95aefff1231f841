export { compileBpmn, type CompileResult } from './compile-bpmn.js';
export { compileForm } from './compile-form.js';
export type * from './types.js';
