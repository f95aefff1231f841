/** Inputs and outputs every workspace handler shares: the permit id, the optional `phase` header, result variables. */
import { z } from 'zod';
import { PROCESS_VARIABLES, TASK_HEADERS, WORKSPACE_PHASES } from '../../../shared/index.js';
import { optionalHeader, readHeaders, readVariables } from '../../runtime/job-input.js';
import type { WorkerJob } from '../../runtime/worker-job.js';
import { describeRef, refOf } from '../drivers/workspace-driver.js';
import { namespaceName } from '../render/names.js';
import type { ReconcileResult } from '../reconcile/reconcile-workspace.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';

/** Variables the workspace handlers complete their jobs with. */
export const WORKSPACE_VARIABLES = {
  /** The permit's namespace. */
  namespace: 'workspaceNamespace',
  /** Every object of the permit's workspaces after the job, `apiVersion/Kind/namespace/name`. */
  objects: 'workspaceObjects',
  /** Objects this job deleted. */
  removedObjects: 'workspaceRemovedObjects',
  /** What the driver saw afterwards: `{ driver, present, missing }`. */
  observed: 'workspaceObserved',
  /** The desired state of the workspace the job acted on (phase, status, running, network, mounts). */
  state: 'workspaceState',
  snapshot: 'workspaceSnapshot',
  accessMembers: 'workspaceAccessMembers',
  releaseJob: 'releaseJob',
  releasedFiles: 'releasedFiles',
  archiveSnapshot: 'archiveSnapshot',
  deletionCertificate: 'deletionCertificate',
  /** `workspace.scan-ingress` on a clean delivery: `{ passed, files, checkedAt, dataHolder }`. (Findings travel with the
   *  INGRESS_CHECK_FAILED error as `TASK_FORM_VARIABLES.ingressException.findings`.) */
  scanResult: 'ingressScanResult',
} as const;

const PermitVariables = z.object({ [PROCESS_VARIABLES.permitId]: z.string().min(1, 'must not be empty') });

export function readPermitId(job: WorkerJob): string {
  return readVariables(job, PermitVariables).permitId;
}

export const PhaseHeader = z.enum(WORKSPACE_PHASES);

/** The optional `phase` header that points a task at another workspace than the research one. */
export function readOptionalPhase(job: WorkerJob) {
  return readHeaders(job, z.object({ [TASK_HEADERS.phase]: optionalHeader(PhaseHeader) })).phase;
}

export function stateSummary(state: WorkspaceDesiredState | undefined) {
  if (!state) return null;
  const { phase, status, runtime, running, suspended, network, networkLocked, mounts } = state;
  return { phase, status, runtime, running, suspended, network, networkLocked, mounts };
}

export function workspaceVariables(permitId: string, result: ReconcileResult, driver: string, state?: WorkspaceDesiredState): Record<string, unknown> {
  return {
    [WORKSPACE_VARIABLES.namespace]: namespaceName(permitId),
    [WORKSPACE_VARIABLES.objects]: result.objects.map((object) => describeRef(refOf(object))),
    [WORKSPACE_VARIABLES.removedObjects]: result.removed.filter((r) => r.existed).map(describeRef),
    [WORKSPACE_VARIABLES.observed]: { driver, present: result.objects.length - result.missing.length, missing: result.missing },
    ...(state ? { [WORKSPACE_VARIABLES.state]: stateSummary(state) } : {}),
  };
}
