export { compileDmn } from './compile-dmn.js';
export { evaluateDecision } from './evaluate-decision.js';
export type * from './types.js';
