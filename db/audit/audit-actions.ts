/** Audit actions written by db/ itself. (Actions of review steps come from the BPMN `action` task headers.) */
export const AUDIT_ACTIONS = {
  permitStatusChanged: 'permit.status.changed',
  egressStatusChanged: 'egress.status.changed',
} as const;
