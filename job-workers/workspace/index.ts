/**
 * Workspace provisioning service: one handler per `workspace.*` task type, a pure renderer of the Kubernetes
 * objects of each phase, drivers that apply them (`manifests` embedded default, `kubernetes` for a real cluster)
 * and a store for the desired and observed state in the Permit Manager's `workspaces` table. docs/workspaces.md.
 *
 *   const driver = createManifestsDriver({ dir: config.workspaceManifestsDir, logger });   // WORKSPACE_DRIVER=manifests
 *   const handlers = createWorkspaceHandlers({ driver, store: createKnexWorkspaceStore(knex), logger });
 *   // handlers['workspace.provision'] … handlers['workspace.delete-data']
 */
import { pino, type Logger } from 'pino';
import { TASK_TYPES, type TaskType } from '../../shared/index.js';
import type { AirlockRelease } from '../../airlock/release/release-outputs.js';
import type { JobHandler } from '../runtime/worker-job.js';
import type { WorkspaceDriver } from './drivers/workspace-driver.js';
import { createTeamAccessSink, type TeamAccessSink } from './events/team-access-sink.js';
import { createArchiveHandler } from './handlers/archive-handler.js';
import { createDeleteDataHandler } from './handlers/delete-data-handler.js';
import { createDisableNetworkHandler } from './handlers/disable-network-handler.js';
import { createEnableNetworkHandler } from './handlers/enable-network-handler.js';
import { createFreezeHandler } from './handlers/freeze-handler.js';
import { createMountDataHandler } from './handlers/mount-data-handler.js';
import { createMountOutputsHandler } from './handlers/mount-outputs-handler.js';
import { createPromoteDeliveryHandler } from './handlers/promote-delivery-handler.js';
import { createProvisionHandler } from './handlers/provision-handler.js';
import { createReleaseOutputsHandler } from './handlers/release-outputs-handler.js';
import { createResumeHandler } from './handlers/resume-handler.js';
import { createScanIngressHandler } from './handlers/scan-ingress-handler.js';
import { createStartHandler } from './handlers/start-handler.js';
import { createSuspendHandler } from './handlers/suspend-handler.js';
import { createSyncAccessHandler } from './handlers/sync-access-handler.js';
import { createTeardownHandler } from './handlers/teardown-handler.js';
import { createUnmountHandler } from './handlers/unmount-handler.js';
import { createKeyedMutex } from './reconcile/keyed-mutex.js';
import type { WorkspaceContext } from './reconcile/reconcile-workspace.js';
import type { OutputsTokenIssuer } from './reconcile/outputs-token-secret.js';
import type { AirlockIngress } from './scan/check-delivery.js';
import { renderOptions, type DeepPartial, type RenderOptions } from './render/render-options.js';
import type { WorkspaceStore } from './store/workspace-store.js';

export type WorkspaceTaskType = Extract<TaskType, `workspace.${string}`>;

export interface WorkspaceHandlerDeps {
  /** Applies the objects: `createManifestsDriver` (embedded) or the kubernetes driver (`drivers/kubernetes/`). */
  driver: WorkspaceDriver;
  /** Desired/observed state, research team, output request files, proof of deletion: `createKnexWorkspaceStore(knex)`. */
  store: WorkspaceStore;
  /** Start-up logging and the team access sink; each job logs through the runtime's per-job logger. */
  logger?: Logger;
  /** Cluster specifics (images, proxy and gateway selectors, storage classes, runtime pod|kubevirt); defaults otherwise. */
  render?: DeepPartial<RenderOptions>;
  /** Time source for snapshots, observations and certificates. */
  clock?: () => Date;
  /** Releases approved outputs from the airlock store with their RO-Crate (issue 16): `createAirlockRelease(...)`. */
  airlockRelease?: AirlockRelease;
  /** The airlock store and malware scanner the ingress scan checks deliveries with and promotes them to raw (issue 16). */
  airlockIngress?: AirlockIngress;
  /** Issues the outputs-sync Job's token into its Secret and revokes it when the Job goes: `createKnexOutputsTokenStore(knex)`. */
  outputsTokens?: OutputsTokenIssuer;
}

const FACTORIES = {
  [TASK_TYPES.workspaceProvision]: createProvisionHandler,
  [TASK_TYPES.workspaceScanIngress]: createScanIngressHandler,
  // Wired with its audit records by platform/workspace-service.ts; without them it refuses to promote (retried).
  [TASK_TYPES.workspacePromoteDelivery]: (ctx: WorkspaceContext) => createPromoteDeliveryHandler({ ...(ctx.airlockIngress ? { airlock: ctx.airlockIngress.store } : {}) }),
  [TASK_TYPES.workspaceEnableNetwork]: createEnableNetworkHandler,
  [TASK_TYPES.workspaceDisableNetwork]: createDisableNetworkHandler,
  [TASK_TYPES.workspaceFreeze]: createFreezeHandler,
  [TASK_TYPES.workspaceStart]: createStartHandler,
  [TASK_TYPES.workspaceMountData]: createMountDataHandler,
  [TASK_TYPES.workspaceMountOutputs]: createMountOutputsHandler,
  [TASK_TYPES.workspaceUnmount]: createUnmountHandler,
  [TASK_TYPES.workspaceReleaseOutputs]: createReleaseOutputsHandler,
  [TASK_TYPES.workspaceSyncAccess]: createSyncAccessHandler,
  [TASK_TYPES.workspaceSuspend]: createSuspendHandler,
  [TASK_TYPES.workspaceResume]: createResumeHandler,
  [TASK_TYPES.workspaceTeardown]: createTeardownHandler,
  [TASK_TYPES.workspaceArchive]: createArchiveHandler,
  [TASK_TYPES.workspaceDeleteData]: createDeleteDataHandler,
} as const satisfies Record<WorkspaceTaskType, (ctx: WorkspaceContext) => JobHandler>;

/**
 * The handler of every `workspace.*` task type and the outbox sink that keeps the access list in step with the
 * research team (events/team-access-sink.ts), sharing one driver, store and per-permit lock.
 */
export function createWorkspaceWorkers(deps: WorkspaceHandlerDeps): { handlers: Record<WorkspaceTaskType, JobHandler>; teamAccessSink: TeamAccessSink } {
  const ctx: WorkspaceContext = {
    driver: deps.driver,
    store: deps.store,
    render: renderOptions(deps.render),
    clock: deps.clock ?? (() => new Date()),
    mutex: createKeyedMutex(),
    ...(deps.airlockRelease ? { airlockRelease: deps.airlockRelease } : {}),
    ...(deps.airlockIngress ? { airlockIngress: deps.airlockIngress } : {}),
    ...(deps.outputsTokens ? { outputsTokens: deps.outputsTokens } : {}),
  };
  deps.logger?.info({ driver: deps.driver.name, runtime: ctx.render.runtime }, 'workspace handlers ready');
  const entries = Object.entries(FACTORIES).map(([type, factory]) => [type, factory(ctx)] as const);
  const handlers = Object.fromEntries(entries) as Record<WorkspaceTaskType, JobHandler>;
  return { handlers, teamAccessSink: createTeamAccessSink(ctx, deps.logger ?? pino({ enabled: false })) };
}

/** The handler of every `workspace.*` task type, sharing one driver, store and per-permit lock. */
export function createWorkspaceHandlers(deps: WorkspaceHandlerDeps): Record<WorkspaceTaskType, JobHandler> {
  return createWorkspaceWorkers(deps).handlers;
}

export { createManifestsDriver, manifestFileName, permitFolderName, type ManifestsDriverOptions } from './drivers/manifests-driver.js';
export * from './drivers/workspace-driver.js';
export { createKnexWorkspaceStore } from './store/knex-workspace-store.js';
export { createFakeWorkspaceStore, type FakeWorkspaceStore } from './store/fake-workspace-store.js';
export type { WorkspaceStore, WorkspaceObservation, WorkspaceRecord } from './store/workspace-store.js';
export { DEFAULT_RENDER_OPTIONS, renderOptions, type RenderOptions } from './render/render-options.js';
export { renderWorkspaceObjects, possibleRefs } from './render/render-workspace.js';
export { validateObjects, InvalidObjectError } from './render/validate-objects.js';
export { namespaceName, OBJECT_NAMES, LABELS } from './render/names.js';
export { TEAM_CHANGE_ACTOR, type TeamAccessSink, type TeamChangeEvent } from './events/team-access-sink.js';
export { WORKSPACE_VARIABLES } from './handlers/workspace-job-input.js';
export type { DeletionCertificate } from './reconcile/deletion-certificate.js';
export { deletionCertificateHash } from './reconcile/deletion-certificate.js';
