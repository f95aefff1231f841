/** Domain events published through the outbox (RabbitMQ routing key = event name; in-app stream). */
export const EVENTS = {
  statusUpdated: 'permit.status.updated',
  analysisApproved: 'permit.analysis.approved',
  /** The research team edited the DRAFT application (PATCH /permits/{id}); payload: the fields changed and the new version. */
  draftEdited: 'permit.draft.edited',
  applicationSubmitted: 'permit.application.submitted',
  applicationRejected: 'permit.application.rejected',
  applicationWithdrawn: 'permit.application.withdrawn',
  ingressInitiated: 'permit.ingress.initiated',
  ingressCompleted: 'permit.ingress.completed',
  ingressBlocked: 'permit.ingress.blocked',
  preparationCompleted: 'permit.preparation.completed',
  setupSubmitted: 'permit.setup.submitted',
  setupApproved: 'permit.setup.approved',
  setupReworkRequested: 'permit.setup.rework_requested',
  setupRejected: 'permit.setup.rejected',
  egressSubmitted: 'permit.egress.submitted',
  egressApproved: 'permit.egress.approved',
  egressReworkRequested: 'permit.egress.rework_requested',
  egressRejected: 'permit.egress.rejected',
  egressReleased: 'permit.egress.released',
  amended: 'permit.amended',
  /** Someone joined or left a team of the permit (POST/DELETE members); the workspace access list follows it. */
  membersChanged: 'permit.members.changed',
  suspended: 'permit.suspended',
  resumed: 'permit.resumed',
  revoked: 'permit.revoked',
  expired: 'permit.expired',
  closed: 'permit.closed',
  dataDeleted: 'permit.data.deleted',
  /** A personal in-app notification (payload carries `userId`): streamed to that user only. */
  notificationCreated: 'notification.created',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
export const ALL_EVENTS: readonly EventName[] = Object.values(EVENTS);

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (ALL_EVENTS as readonly string[]).includes(value);
}
