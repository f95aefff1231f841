/**
 * What the workspace workers need from the Permit Manager's database (the port): the desired and observed state
 * of each workspace (table `workspaces`, one row per permit and phase), the research team (who may enter), the
 * files of an output request (what to release), and where the proof of deletion goes. `createKnexWorkspaceStore`
 * implements it on `db/`, `createFakeWorkspaceStore` in memory.
 */
import type { WorkspacePhase } from '../../../shared/index.js';
import type { DeletionCertificate } from '../reconcile/deletion-certificate.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';

/** What the worker last saw (column `observed_state`); merged key by key, so each task keeps the others' facts. */
export interface WorkspaceObservation {
  /** `manifests` or `kubernetes`. */
  driver?: string;
  observedAt?: string;
  /** The job that made the observation: `<task type>/<permitId>/<elementInstanceKey>`. */
  job?: string;
  /** Each object of the permit's workspaces and whether it exists (`describeRef` form). */
  objects?: { ref: string; exists: boolean }[];
  /** Set when the last reconcile failed midway: what was done and where it stopped. Cleared by the next success. */
  failure?: { message: string; completed: string[]; failed?: string } | null;
  /** `workspace.scan-ingress`: the last result. */
  lastScan?: { at: string; dataHolder?: string; files: number; findings: { path?: string; message: string }[] };
  deletionCertificate?: DeletionCertificate;
  [key: string]: unknown;
}

export interface WorkspaceRecord {
  phase: WorkspacePhase;
  /** Raw JSON as stored; parse with `WorkspaceDesiredStateSchema`. */
  desired: unknown;
  observed: WorkspaceObservation | null;
}

export interface DeletionRecord {
  permitId: string;
  certificate: DeletionCertificate;
  actor: string;
  idempotencyKey: string;
}

/** Who changed the workspaces and why, for the audit entry that goes with every change of desired state. */
export interface WorkspaceChangeAudit {
  /** `process:<bpmnProcessId>`. */
  actor: string;
  /** The task type, e.g. `workspace.disable-network`. */
  action: string;
  /** The job's key: a retried job records its change once. */
  idempotencyKey: string;
}

export interface WorkspaceStore {
  load(permitId: string): Promise<WorkspaceRecord[]>;
  /**
   * Upserts the desired state of each given workspace and, in the same transaction, appends an audit entry with
   * the new states (`action` = the task type), so the audit trail shows when the internet was cut, data mounted…
   */
  saveDesired(permitId: string, states: readonly WorkspaceDesiredState[], audit: WorkspaceChangeAudit): Promise<void>;
  /** Merges `observation` into the observed state of the given phases' rows (that exist). */
  saveObserved(permitId: string, phases: readonly WorkspacePhase[], observation: WorkspaceObservation): Promise<void>;
  /** User ids of the permit's research team (`permit_members`, RESEARCH_TEAM). */
  researchTeam(permitId: string): Promise<string[]>;
  /** Paths of the files of the permit's output request; `undefined` when there is no such request. */
  egressRequestFiles(permitId: string, egressRequestId: string): Promise<string[] | undefined>;
  /** Stores the certificate on every workspace row and as a tamper-evident audit entry (once per idempotency key). */
  recordDeletion(record: DeletionRecord): Promise<void>;
}

/** The audit action of the proof of deletion. */
export const DELETION_AUDIT_ACTION = 'workspace.data.deleted';
