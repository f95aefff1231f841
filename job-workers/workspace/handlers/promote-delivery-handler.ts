/**
 * `workspace.promote-delivery`: BPMN 2 runs it only after a data steward's explicit RELEASE_FROM_QUARANTINE
 * decision on "Handle blocked data delivery" (a failed check, or no malware scanner configured). It moves the data
 * holder's files from the airlock's quarantine to raw and writes one audit entry with who decided (the assignee the
 * decision listener recorded, never a process variable), the reason, the findings overridden and the files.
 *
 * Idempotent: the quarantine → raw transition is idempotent in the store, and the audit entry is keyed by the
 * job's element instance, so a repeated job moves nothing again and writes nothing again.
 */
import { TASK_FORM_VARIABLES } from '../../../shared/index.js';
import type { AirlockStore } from '../../../airlock/store/airlock-store.js';
import { NonRetryableError, TransientError } from '../../runtime/job-errors.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import { INGRESS_VARIABLES } from './scan-ingress-handler.js';
import { readPermitId } from './workspace-job-input.js';

export const PROMOTE_ACTOR = 'system:workspace.promote-delivery';
export const QUARANTINE_RELEASE_ACTION = 'airlock.delivery.released-from-quarantine';
/** The user task whose decision the promotion carries out (BPMN 2). */
export const EXCEPTION_TASK_ID = 'Task_HandleBlockedDelivery';
/** Variable the job completes with: what was promoted, on whose decision. */
export const PROMOTION_VARIABLE = 'ingressPromotion';

const names = TASK_FORM_VARIABLES.ingressException;

export interface QuarantineReleaseEntry {
  idempotencyKey: string;
  permitId: string;
  details: Record<string, unknown>;
}

/** Where the decision is read from and the promotion recorded (the Permit Manager's audit log). */
export interface QuarantineReleaseRecords {
  /** Who released this delivery: the decider of the latest matching RELEASE_FROM_QUARANTINE decision; undefined when none is recorded. */
  decider(query: { permitId: string; processInstanceKey: string; comment: string | null }): Promise<string | undefined>;
  record(entry: QuarantineReleaseEntry): Promise<void>;
}

export interface PromoteDeliveryDeps {
  /** The airlock store; without one there are no uploaded files (manifest-only ingress) and nothing is moved. */
  airlock?: AirlockStore;
  records?: QuarantineReleaseRecords;
}

export function createPromoteDeliveryHandler(deps: PromoteDeliveryDeps): JobHandler {
  return async (job, logger) => {
    const permitId = readPermitId(job);
    const decision = job.variables[names.decision];
    if (decision !== 'RELEASE_FROM_QUARANTINE') {
      throw new NonRetryableError(
        `workspace.promote-delivery runs only after the decision RELEASE_FROM_QUARANTINE, but ${names.decision} is ${JSON.stringify(decision ?? null)}; model it after the "Delivery released?" gateway's release flow.`,
      );
    }
    const dataHolder = job.variables[INGRESS_VARIABLES.dataHolder];
    if (typeof dataHolder !== 'string' || !dataHolder) {
      throw new NonRetryableError('the delivery names no data holder (variable dataHolder); run workspace.promote-delivery inside the per-data-holder delivery sub-process.');
    }
    if (!deps.records) {
      throw new TransientError('workspace.promote-delivery is not wired to the audit log (platform/workspace-service.ts gives it its records); nothing was promoted.');
    }
    const commentValue = job.variables[names.comment];
    const comment = typeof commentValue === 'string' ? commentValue : null;
    const findings = Array.isArray(job.variables[names.findings]) ? (job.variables[names.findings] as unknown[]) : [];
    const decidedBy = await deps.records.decider({ permitId, processInstanceKey: job.processInstanceKey, comment });
    if (!decidedBy) {
      throw new TransientError(
        `no recorded RELEASE_FROM_QUARANTINE decision on "${EXCEPTION_TASK_ID}" for permit ${permitId} (process instance ${job.processInstanceKey}); the decision listener records it before the task completes, so retry.`,
      );
    }
    const promoted = deps.airlock ? await deps.airlock.transition({ permitId, from: 'quarantine', to: 'raw', deliveryId: dataHolder, by: decidedBy }) : [];
    const files = promoted.map((o) => ({ path: o.path, sha256: o.sha256, sizeBytes: o.sizeBytes }));
    await deps.records.record({
      idempotencyKey: `quarantine-release:${job.processInstanceKey}:${job.elementInstanceKey}`,
      permitId,
      details: { dataHolder, decidedBy, decision, comment, findingsOverridden: findings, files, processInstanceKey: job.processInstanceKey },
    });
    logger.info({ dataHolder, decidedBy, files: files.length, findings: findings.length }, `delivery of ${dataHolder} released from quarantine by ${decidedBy}: ${files.length} file(s) promoted to raw`);
    return { variables: { [PROMOTION_VARIABLE]: { dataHolder, decidedBy, files } } };
  };
}
