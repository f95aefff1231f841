/** The one shared module: names that live once (statuses, process ids, task types, messages, events, forms). */
export * from './permit-status.js';
export * from './process-ids.js';
export * from './task-types.js';
export * from './messages.js';
export * from './events.js';
export * from './forms.js';
export * from './decisions.js';
export * from './decision-tasks.js';
export * from './process-variables.js';
export * from './errors.js';
