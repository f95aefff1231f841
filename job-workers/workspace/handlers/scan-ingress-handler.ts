/**
 * `workspace.scan-ingress`: checks a data holder's delivery in quarantine. With the airlock (`ctx.airlockIngress`,
 * wired by the platform) the check is `checkDelivery`: the manifest, every file's SHA-256 and size against the bytes
 * uploaded, files missing or extra, and a malware scan of every file (none configured: every file is marked not
 * scanned, which is a finding). Without it (unit and process tests on fakes) only the manifest is checked.
 *
 * Findings end the job with BPMN error `INGRESS_CHECK_FAILED` and variable `ingressCheckFindings`
 * (`[{ path, message }]`, shown on the ingress-exception form); the files stay in quarantine. A clean delivery is
 * promoted quarantine → raw and completes with `ingressScanResult` (files with their checksums and scan verdicts).
 * The result is recorded on the ingress workspace's observed state either way.
 *
 * Idempotent: a delivery already promoted (a repeated job) is found in raw, matching its manifest, and completes
 * again with the same result; promotion itself is an idempotent transition of the store.
 */
import { BPMN_ERRORS, TASK_FORM_VARIABLES } from '../../../shared/index.js';
import { BusinessRuleError, TransientError } from '../../runtime/job-errors.js';
import type { JobHandler } from '../../runtime/worker-job.js';
import { forPermit, type WorkspaceContext } from '../reconcile/reconcile-workspace.js';
import { checkDelivery, type AirlockIngress, type DeliveryCheck } from '../scan/check-delivery.js';
import { checkUploadManifest } from '../scan/check-upload-manifest.js';
import { readPermitId, WORKSPACE_VARIABLES } from './workspace-job-input.js';

/** Variables of the `ingress.upload-confirmed` message (MESSAGE_CONTRACTS) and the multi-instance element. */
export const INGRESS_VARIABLES = { manifest: 'uploadManifest', dataHolder: 'dataHolder', confirmedBy: 'confirmedBy' } as const;

/** Who the airlock records as having promoted a delivery. */
export const SCAN_ACTOR = 'system:workspace.scan-ingress';

export function createScanIngressHandler(ctx: WorkspaceContext): JobHandler {
  return async (job, logger) => {
    const permitId = readPermitId(job);
    const manifest = job.variables[INGRESS_VARIABLES.manifest];
    const dataHolderValue = job.variables[INGRESS_VARIABLES.dataHolder] ?? job.variables[INGRESS_VARIABLES.confirmedBy];
    const dataHolder = typeof dataHolderValue === 'string' ? dataHolderValue : undefined;
    const files = Array.isArray((manifest as { files?: unknown } | undefined)?.files) ? (manifest as { files: unknown[] }).files.length : 0;
    const at = ctx.clock().toISOString();

    let check: DeliveryCheck | undefined;
    let findings = checkUploadManifest(manifest);
    if (ctx.airlockIngress && findings.length === 0) {
      if (!dataHolder) findings = [{ message: 'the delivery names no data holder (variable dataHolder), so its files cannot be found in quarantine' }];
      else {
        check = (await alreadyPromoted(ctx.airlockIngress, permitId, dataHolder, manifest)) ?? (await runCheck(ctx.airlockIngress, permitId, dataHolder, manifest));
        findings = check.findings;
      }
    }
    const observed = { at, ...(dataHolder ? { dataHolder } : {}), files, findings, ...(check ? { scanner: check.scanner, checkedFiles: check.files } : {}) };
    await forPermit(ctx, permitId, () => ctx.store.saveObserved(permitId, ['ingress'], { lastScan: observed }));
    if (findings.length > 0) {
      logger.warn({ dataHolder, findings }, `ingress check failed with ${findings.length} finding(s)`);
      throw new BusinessRuleError(
        BPMN_ERRORS.ingressCheckFailed,
        `the delivery${dataHolder ? ` of ${dataHolder}` : ''} failed the ingress checks: ${findings.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ')}`,
        { [TASK_FORM_VARIABLES.ingressException.findings]: findings },
      );
    }
    if (ctx.airlockIngress && dataHolder) {
      await ctx.airlockIngress.store.transition({ permitId, from: 'quarantine', to: 'raw', deliveryId: dataHolder, by: SCAN_ACTOR });
    }
    logger.info({ dataHolder, files, scanner: check?.scanner }, 'ingress checks passed');
    return {
      variables: {
        [WORKSPACE_VARIABLES.scanResult]: {
          passed: true,
          files,
          checkedAt: at,
          ...(dataHolder ? { dataHolder } : {}),
          ...(check ? { scanner: check.scanner, checkedFiles: check.files } : {}),
        },
      },
    };
  };
}

async function runCheck(airlock: AirlockIngress, permitId: string, dataHolder: string, manifest: unknown): Promise<DeliveryCheck> {
  try {
    return await checkDelivery(airlock, { permitId, deliveryId: dataHolder, manifest });
  } catch (error) {
    // The scanner or the store is away: try again later (the job's retries), never pass the delivery.
    throw new TransientError(`the ingress check of ${dataHolder}'s delivery could not run: ${(error as Error).message}`, { cause: error });
  }
}

/** A delivery a previous run promoted: nothing left in quarantine, and raw holds exactly the manifest's files. */
async function alreadyPromoted(airlock: AirlockIngress, permitId: string, dataHolder: string, manifest: unknown): Promise<DeliveryCheck | undefined> {
  if ((await airlock.store.list(permitId, 'quarantine', { deliveryId: dataHolder })).length > 0) return undefined;
  const entries = (manifest as { files: { path: string; sha256: string; sizeBytes: number }[] }).files;
  const raw = new Map((await airlock.store.list(permitId, 'raw', { deliveryId: dataHolder })).map((o) => [o.path, o]));
  if (raw.size !== entries.length) return undefined;
  if (!entries.every((e) => raw.get(e.path)?.sha256 === e.sha256 && raw.get(e.path)?.sizeBytes === e.sizeBytes)) return undefined;
  return {
    findings: [],
    scanner: `${airlock.scanner.name} (promoted earlier)`,
    files: entries.map((e) => ({ path: e.path, sizeBytes: e.sizeBytes, sha256: e.sha256, manifestSha256: e.sha256, checksum: 'match', scan: 'clean' })),
  };
}
