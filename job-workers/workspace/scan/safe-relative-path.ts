/** The shared path rule (shared/safe-relative-path.ts): the REST API refuses the same paths when they arrive. */
export { isSafeRelativePath } from '../../../shared/safe-relative-path.js';
