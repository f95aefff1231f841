/**
 * What the decision listener reads and writes in the Permit Manager's database (the port). Identity facts come
 * from here only, never from process variables: the permit's teams and author, who submitted what is reviewed,
 * earlier reviews of an output request, the user directory's roles. `createKnexDecisionStore` implements it on
 * `db/`, `createFakeDecisionStore` in memory for unit tests.
 */
import type { ReviewStage, TeamRole } from '../../shared/index.js';

export interface PermitParties {
  createdBy: string;
  members: readonly { userId: string; teamRole: TeamRole }[];
  /** Actors of the permit's audit entries with the actions asked for, oldest first (empty when none were asked). */
  auditActors: readonly string[];
}

/** Where the authors of a reviewed thing are recorded. */
export type AuthorSource =
  /** Actors of audit entries the REST API wrote for these permit actions (e.g. `permit.submit`). */
  | { kind: 'audit-actions'; actions: readonly string[] }
  /** `egress_requests.created_by` and `submitted_by` of the request under review. */
  | { kind: 'egress-request' }
  /** Actors of `permit.request-amendment` entries whose amendment is the one under review (all of them when none matches). */
  | { kind: 'amendment-request'; action: string };

export interface EgressReview {
  userTaskKey: string | null;
  reviewer: string;
  decision: string;
}

export interface DecisionRecord {
  /** Unique per user task: a second delivery of the listener job records nothing. */
  userTaskKey: string;
  permitId: string;
  processInstanceKey: string;
  elementId: string;
  formId: string;
  decider: string;
  /** For stage reviews: the row of `review_decisions`. */
  review?: {
    id: string;
    stage: ReviewStage;
    decision: string;
    comment: string | null;
    checklist: unknown;
    submittedBy: string | null;
    egressRequestId: string | null;
  };
  /** For the other decision tasks: the form's values, kept in the audit entry. */
  values?: Record<string, unknown>;
}

export interface DecisionStore {
  /**
   * The permit's author and teams, and the actors of its audit entries with `auditActions` (the authors an
   * `audit-actions` source names, read with them in one query); undefined when there is no such permit.
   */
  parties(permitId: string, auditActions?: readonly string[]): Promise<PermitParties | undefined>;
  /** Everyone who wrote or submitted what the task reviews, per source. */
  authors(permitId: string, source: AuthorSource, subject: { egressRequestId?: string; amendment?: unknown }): Promise<string[]>;
  /** Reviews recorded on an output request, oldest first. */
  egressReviews(egressRequestId: string): Promise<EgressReview[]>;
  /** Roles the user directory gives the user (empty when unknown). */
  directoryRoles(userId: string): Promise<string[]>;
  /** Records the accepted decision and its audit entry (actor: the decider), once per user task. */
  record(decision: DecisionRecord): Promise<{ recorded: boolean }>;
}
