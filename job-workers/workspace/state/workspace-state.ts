/** The workspace's desired state lives in shared/ (the REST API shows it too): shared/workspace-state.ts. */
export * from '../../../shared/workspace-state.js';
