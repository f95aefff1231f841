/**
 * How a failure while changing a workspace becomes a job outcome. The message always says which objects were
 * already applied or removed and where it stopped, so half a phase is never in place without anyone being told:
 *
 * - the API server refused an object (`WorkspaceConflictError`, 409/422) → BPMN error
 *   `WORKSPACE_PROVISIONING_REJECTED` with variables `workspaceError`, `workspaceCompletedObjects`,
 *   `workspaceFailedObject` (the diagram decides: BPMN 3 hands it to the operators);
 * - unreachable, timed out, 429/5xx (`WorkspaceUnavailableError`) → retried with back-off;
 * - anything else from the driver (RBAC, missing CRD), an object the renderer got wrong, or a change the workspace
 *   rules forbid → an incident now.
 */
import { BPMN_ERRORS } from '../../../shared/index.js';
import { describeRef, WorkspaceConflictError, WorkspaceDriverError, WorkspaceUnavailableError, type KubeObjectRef } from '../drivers/workspace-driver.js';
import { InvalidObjectError } from '../render/validate-objects.js';
import { BusinessRuleError, NonRetryableError, TransientError } from '../../runtime/job-errors.js';
import { WorkspaceRuleError } from '../state/state-changes.js';

export interface FailureReport {
  message: string;
  completed: string[];
  failed?: string;
}

/** What was done before the failure (`done`: finished steps of this job, e.g. removals before the apply failed). */
export function describeFailure(error: WorkspaceDriverError, step: 'apply' | 'remove', done: readonly KubeObjectRef[]): FailureReport {
  const completed = [...done, ...error.completed].map(describeRef);
  const failed = error.failed ? describeRef(error.failed) : undefined;
  const verb = step === 'apply' ? 'applying' : 'removing';
  const progress = completed.length ? `already done: ${completed.join(', ')}` : 'nothing was changed before it';
  const message = `${verb} ${failed ?? 'objects'} failed${error.statusCode ? ` (HTTP ${error.statusCode})` : ''}: ${error.message}; ${progress}`;
  return { message, completed, failed };
}

export function toJobError(error: unknown, label: string, report?: FailureReport): unknown {
  const message = `${label}: ${report?.message ?? (error instanceof Error ? error.message : String(error))}`;
  if (error instanceof WorkspaceConflictError) {
    return new BusinessRuleError(BPMN_ERRORS.provisioningRejected, message, {
      workspaceError: message,
      workspaceCompletedObjects: report?.completed ?? [],
      workspaceFailedObject: report?.failed ?? null,
    });
  }
  if (error instanceof WorkspaceUnavailableError) return new TransientError(message, { cause: error });
  if (error instanceof WorkspaceDriverError || error instanceof InvalidObjectError || error instanceof WorkspaceRuleError) {
    return new NonRetryableError(message, { cause: error });
  }
  return error;
}
