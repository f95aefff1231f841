/**
 * What the egress feature writes (the port): output requests. `createKnexEgressStore` (knex-egress-store.ts)
 * implements it on `db/`, `createFakeEgressStore` (fake-egress-store.ts) in memory for unit tests.
 *
 * A submission moves the request to SUBMITTED and records the message the egress process is owed as an engine
 * command, in one transaction; the message is published after the commit, by message id (docs/adr/0006).
 */
import type { EgressStatus } from '../../shared/index.js';
import type { EgressFile, EgressRequest, EngineCommand } from '../../db/index.js';
import type { CommandDelivery } from '../permits/engine-command-relay.js';
import type { IdempotencyScope } from '../permits/permit-store.js';
import type { EgressFileCheck } from './egress-files-store.js';

export interface NewEgressRequest {
  id: string;
  permitId: string;
  title: string;
  files: EgressFile[];
  disclosureChecks: unknown;
  createdBy: string;
}

export interface EgressSubmission {
  permitId: string;
  requestId: string;
  /** The status the request must still be in. */
  from: EgressStatus;
  /** The request's version its checks were made against; the change holds only while it is still at it. */
  version: number;
  /** The caller's If-Match, when sent: a request at another version is a 412, not a 409. */
  expectedVersion?: number | undefined;
  actor: string;
  auditDetails: Record<string, unknown>;
  /** The files as checked at this submission; replaces earlier checks in the same transaction. */
  fileChecks?: readonly EgressFileCheck[] | undefined;
  /** The message owed to the egress process; its id is the submission's intent key (one per request version). */
  command: EngineCommand;
}

export interface EgressStore {
  /**
   * Inserts a DRAFT request and its audit entry (one transaction). With an `Idempotency-Key` (the caller's, held by
   * the request), the same transaction binds the key to the new request; when an earlier request under that key
   * already created one (it died before its answer was stored), answers that request and inserts nothing.
   */
  create(request: NewEgressRequest, idempotency?: IdempotencyScope): Promise<EgressRequest>;
  list(permitId: string): Promise<EgressRequest[]>;
  find(permitId: string, requestId: string): Promise<EgressRequest | undefined>;
  /**
   * One transaction, with the permit row locked: moves the request from `from` at `version` to SUBMITTED, writes the
   * file checks, the audit entry (under the command's id) and the engine command; refuses (409, or 412 for a stale
   * If-Match) and writes nothing when the request moved, or another of the permit's engine commands is pending.
   * After the commit, `deliver` publishes the command and it is marked delivered; a delivery that fails leaves it
   * pending for the engine-command relay (`delivery.outcome === 'pending'`).
   */
  submit(submission: EgressSubmission, deliver: (command: EngineCommand) => Promise<void>): Promise<{ request: EgressRequest; delivery: CommandDelivery }>;
}
