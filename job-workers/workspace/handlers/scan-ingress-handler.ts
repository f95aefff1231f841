/**
 * `workspace.scan-ingress`: checks a data holder's delivery in quarantine. In the embedded mode the check is the
 * upload manifest (`checkUploadManifest`: a missing or malformed SHA-256, unsafe or duplicate paths, missing sizes).
 * Findings end the job with BPMN error `INGRESS_CHECK_FAILED` and variable `ingressCheckFindings`
 * (`[{ path, message }]`, shown on the ingress-exception form); a clean delivery completes with
 * `ingressScanResult`. The result is recorded on the ingress workspace's observed state either way.
 */
import { BPMN_ERRORS, TASK_FORM_VARIABLES } from '../../../shared/index.js';
import { BusinessRuleError } from '../../runtime/job-errors.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import { forPermit, type WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { checkUploadManifest } from '../scan/check-upload-manifest.js';
import { readPermitId, WORKSPACE_VARIABLES } from './workspace-job-input.js';

/** Variables of the `ingress.upload-confirmed` message (MESSAGE_CONTRACTS) and the multi-instance element. */
export const INGRESS_VARIABLES = { manifest: 'uploadManifest', dataHolder: 'dataHolder', confirmedBy: 'confirmedBy' } as const;

export function createScanIngressHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const permitId = readPermitId(job);
    const manifest = job.variables[INGRESS_VARIABLES.manifest];
    const dataHolderValue = job.variables[INGRESS_VARIABLES.dataHolder] ?? job.variables[INGRESS_VARIABLES.confirmedBy];
    const dataHolder = typeof dataHolderValue === 'string' ? dataHolderValue : undefined;
    const findings = checkUploadManifest(manifest);
    const files = Array.isArray((manifest as { files?: unknown } | undefined)?.files) ? (manifest as { files: unknown[] }).files.length : 0;
    const at = ctx.clock().toISOString();
    await forPermit(ctx, permitId, () => ctx.store.saveObserved(permitId, ['ingress'], { lastScan: { at, ...(dataHolder ? { dataHolder } : {}), files, findings } }));
    if (findings.length > 0) {
      logger.warn({ dataHolder, findings }, `ingress check failed with ${findings.length} finding(s)`);
      throw new BusinessRuleError(
        BPMN_ERRORS.ingressCheckFailed,
        `the delivery${dataHolder ? ` of ${dataHolder}` : ''} failed the ingress checks: ${findings.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ')}`,
        { [TASK_FORM_VARIABLES.ingressException.findings]: findings },
      );
    }
    logger.info({ dataHolder, files }, 'ingress checks passed');
    return { variables: { [WORKSPACE_VARIABLES.scanResult]: { passed: true, files, checkedAt: at, ...(dataHolder ? { dataHolder } : {}) } } };
  };
}
