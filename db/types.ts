/**
 * The Permit Manager's tables: their names (`TABLES`, for greppable queries: `knex(TABLES.permits)`) and, for the
 * tables several components share, which row type each has (`TableRows`). The row types and their mappers live
 * beside the code that owns each table (docs/adr/0007-code-conventions.md, "Table types beside the code that owns
 * the table"):
 *
 * - shared by rest-api/ and job-workers/ (which import neither each other nor anything above db/): in db/, beside the
 *   function that holds the table's write rule — `permits/permit-rows.ts` (permits, members, status history, next
 *   to `transitionPermit`), `egress/egress-request-rows.ts`, `audit/audit-rows.ts`, `outbox/outbox-event-rows.ts`,
 *   `reviews/review-decision-rows.ts`, `workspaces/workspace-rows.ts`, `users/user-directory-rows.ts`; driver values
 *   (timestamps, bigints) in `columns.ts`;
 * - used by one feature only (notifications, notification deliveries and preferences, rate limits, idempotency keys,
 *   the airlock's and the egress files' tables): in that feature's knex store. (`engine_commands`, used by the
 *   REST API's permits alone, is still in `outbox/engine-commands.ts`: the relay imports it from `db/index.js`.)
 *
 * Outside db/, import them from `db/index.js`; inside db/, from their owner file.
 */
import type { AuditChainHeadRow, AuditRow } from './audit/audit-rows.js';
import type { EgressRequestRow } from './egress/egress-request-rows.js';
import type { OutboxEventRow } from './outbox/outbox-event-rows.js';
import type { MemberRow, PermitRow, StatusHistoryRow } from './permits/permit-rows.js';
import type { ReviewDecisionRow } from './reviews/review-decision-rows.js';
import type { WorkspaceRow } from './workspaces/workspace-rows.js';

/** Table names, for greppable queries: `knex(TABLES.permits)`. */
export const TABLES = {
  permits: 'permits',
  permitMembers: 'permit_members',
  permitStatusHistory: 'permit_status_history',
  reviewDecisions: 'review_decisions',
  egressRequests: 'egress_requests',
  workspaces: 'workspaces',
  outboxEvents: 'outbox_events',
  auditLog: 'audit_log',
  auditChainHead: 'audit_chain_head',
  notifications: 'notifications',
  notificationDeliveries: 'notification_deliveries',
  notificationPreferences: 'notification_preferences',
  userDirectory: 'user_directory',
  rateLimitCounters: 'rate_limit_counters',
  idempotencyKeys: 'idempotency_keys',
} as const;

/**
 * The row type of each shared table, by table name (`knex<TableRows['permits']>(TABLES.permits)`). Not a knex
 * `Tables` augmentation on purpose: that would type every untyped `knex(name)` query in the project at once.
 */
export interface TableRows {
  [TABLES.permits]: PermitRow;
  [TABLES.permitMembers]: MemberRow;
  [TABLES.permitStatusHistory]: StatusHistoryRow;
  [TABLES.reviewDecisions]: ReviewDecisionRow;
  [TABLES.egressRequests]: EgressRequestRow;
  [TABLES.workspaces]: WorkspaceRow;
  [TABLES.outboxEvents]: OutboxEventRow;
  [TABLES.auditLog]: AuditRow;
  [TABLES.auditChainHead]: AuditChainHeadRow;
}
