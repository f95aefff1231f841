/**
 * The workspace provisioning service from configuration: the `manifests` driver (the embedded default: the exact
 * objects, as YAML, in a folder per permit) or the `kubernetes` driver (server-side apply to a cluster), with the
 * workspace state kept in the Permit Manager's database; `teamAccessSink` is the outbox sink that updates the
 * access list when the research team changes. The Kubernetes client is loaded only for the `kubernetes`
 * driver (it takes about a second to import, which `npm start` on embedded defaults does not need).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createKnexWorkspaceStore, createManifestsDriver, createWorkspaceWorkers, type WorkspaceDriver } from '../job-workers/workspace/index.js';
import { TASK_TYPES } from '../shared/index.js';
import type { Config } from '../rest-api/config.js';
import { createAirlockRelease } from '../airlock/release/release-outputs.js';
import { createKnexReleaseRecords } from '../airlock/release/knex-release-records.js';
import type { AirlockStore } from '../airlock/store/airlock-store.js';
import { createScanner } from '../airlock/scan/malware-scanner.js';
import { createKnexOutputsTokenStore } from '../airlock/outputs-token/knex-outputs-token-store.js';
import { createPromoteDeliveryHandler } from '../job-workers/workspace/handlers/promote-delivery-handler.js';
import { createKnexQuarantineReleaseRecords } from '../job-workers/workspace/handlers/knex-quarantine-release-records.js';
import { readRenderOptionsFile } from '../job-workers/workspace/render/render-options-file.js';

export type WorkspaceConfig = Pick<Config, 'workspaceDriver' | 'workspaceManifestsDir' | 'kubeconfig'> & Partial<Pick<Config, 'airlock' | 'workspaceRenderOptionsFile'>>;

/** `airlock` (issue 16): approved outputs are released from the airlock store with their RO-Crate, identifiers under `publicUrl`. */
export async function createWorkspaceService(config: WorkspaceConfig, knex: Knex, logger: Logger, airlock?: { store: AirlockStore; publicUrl: string }) {
  // Cluster specifics (images, selectors, storage classes, zone copies) from the operator's file; a bad file stops the start.
  const render = config.workspaceRenderOptionsFile ? await readRenderOptionsFile(config.workspaceRenderOptionsFile) : undefined;
  const driver: WorkspaceDriver =
    config.workspaceDriver === 'kubernetes'
      ? (await import('../job-workers/workspace/drivers/kubernetes/index.js')).createKubernetesDriverFromConfig({
          kubeconfig: config.kubeconfig ? { kind: 'file', path: config.kubeconfig } : { kind: 'default' },
          logger,
        })
      : createManifestsDriver({ dir: config.workspaceManifestsDir, logger });
  const airlockRelease = airlock ? createAirlockRelease({ airlock: airlock.store, records: createKnexReleaseRecords(knex), baseUrl: airlock.publicUrl }) : undefined;
  // The ingress scan always checks a delivery's files in the airlock's quarantine (checksums against the manifest,
  // then the malware scanner) and promotes clean ones to raw. Without a scanner (no CLAMAV_*: a bare npm start) every
  // file is "not scanned", a finding: the delivery goes to the HDAB's exception path, and only an explicit
  // RELEASE_FROM_QUARANTINE decision promotes it (workspace.promote-delivery, recorded in the audit log).
  const scannerConfig = config.airlock?.scanner ?? { kind: 'none' as const };
  const airlockIngress = airlock ? { store: airlock.store, scanner: createScanner(scannerConfig) } : undefined;
  const { handlers, teamAccessSink } = createWorkspaceWorkers({
    driver,
    store: createKnexWorkspaceStore(knex),
    logger,
    ...(render ? { render } : {}),
    ...(airlockRelease ? { airlockRelease } : {}),
    ...(airlockIngress ? { airlockIngress } : {}),
    // The outputs-sync Job's token (with zone copies on the kubernetes driver), revoked when the Job goes and at closure.
    outputsTokens: createKnexOutputsTokenStore(knex),
  });
  handlers[TASK_TYPES.workspacePromoteDelivery] = createPromoteDeliveryHandler({
    ...(airlock ? { airlock: airlock.store } : {}),
    records: createKnexQuarantineReleaseRecords(knex),
  });
  const where = config.workspaceDriver === 'kubernetes' ? `kubernetes (${config.kubeconfig ?? 'default kubeconfig'})` : `manifests in ${config.workspaceManifestsDir}`;
  return { handlers, teamAccessSink, where, scanner: airlockIngress?.scanner.name };
}
