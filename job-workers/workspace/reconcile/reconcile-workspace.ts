/**
 * The one way a handler changes a workspace: load the permit's desired states, apply the task's change, save the
 * new desired states (intent first), render, remove what is no longer desired (workloads first, namespace last),
 * apply everything desired (namespace first), read back what exists and save it as the observed state.
 *
 * Removing before applying means access, network and compute go before anything new appears (disable-network,
 * freeze, suspend take effect first). A Pod whose spec changed is deleted and created again (Pod specs are
 * immutable). Running the same job twice renders the same objects and changes nothing.
 */
import type { AirlockRelease } from '../../../airlock/release/release-outputs.js';
import type { AirlockIngress } from '../scan/check-delivery.js';
import type { Logger } from 'pino';
import { NonRetryableError } from '../../runtime/job-errors.js';
import { jobIdempotencyKey, processActor, type WorkerJob } from '../../runtime/worker-job.js';
import type { WorkspacePhase } from '../../../shared/index.js';
import {
  describeRef,
  refOf,
  WorkspaceDriverError,
  type AppliedObject,
  type DriverContext,
  type KubeObject,
  type KubeObjectRef,
  type RemovedObject,
  type WorkspaceDriver,
} from '../drivers/workspace-driver.js';
import { ANNOTATIONS, namespaceName } from '../render/names.js';
import type { RenderOptions } from '../render/render-options.js';
import { possibleRefs, refKey, removalOrder, renderWorkspaceObjects } from '../render/render-workspace.js';
import { activeResearchPhase, type WorkspaceStates } from '../state/state-changes.js';
import { WorkspaceDesiredStateSchema, type WorkspaceDesiredState } from '../state/workspace-state.js';
import type { WorkspaceObservation, WorkspaceRecord, WorkspaceStore } from '../store/workspace-store.js';
import { describeFailure, toJobError, type FailureReport } from './driver-failure.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { syncOutputsTokenSecret, type OutputsTokenIssuer } from './outputs-token-secret.js';

export interface WorkspaceContext {
  driver: WorkspaceDriver;
  store: WorkspaceStore;
  render: RenderOptions;
  clock: () => Date;
  mutex: KeyedMutex;
  /** The airlock store's release (issue 16); without it the release is the Kubernetes copy Job only. */
  airlockRelease?: AirlockRelease;
  /** The airlock's quarantine and malware scanner for the ingress scan (issue 16); without it only the manifest is checked. */
  airlockIngress?: AirlockIngress;
  /** Issues and revokes the outputs-sync Job's token, kept in its Secret (outputs-token-secret.ts); without it none is issued. */
  outputsTokens?: OutputsTokenIssuer;
}

export interface LoadedWorkspaces {
  states: WorkspaceStates;
  records: WorkspaceRecord[];
}

export interface ReconcileResult {
  before: WorkspaceStates;
  after: WorkspaceStates;
  records: WorkspaceRecord[];
  objects: KubeObject[];
  applied: AppliedObject[];
  removed: RemovedObject[];
  /** Desired objects the driver could not find afterwards (normally none). */
  missing: string[];
}

export async function loadWorkspaces(store: WorkspaceStore, permitId: string, label: string): Promise<LoadedWorkspaces> {
  const records = await store.load(permitId);
  const states: WorkspaceStates = {};
  for (const record of records) {
    const parsed = WorkspaceDesiredStateSchema.safeParse(record.desired);
    if (!parsed.success) {
      throw new NonRetryableError(`${label}: the stored desired state of the ${record.phase} workspace of permit ${permitId} is unreadable: ${parsed.error.message}`);
    }
    states[record.phase] = parsed.data;
  }
  return { states, records };
}

function changedStates(before: WorkspaceStates, after: WorkspaceStates): WorkspaceDesiredState[] {
  return Object.values(after).filter((state): state is WorkspaceDesiredState => !!state && JSON.stringify(state) !== JSON.stringify(before[state.phase]));
}

/** Pods to delete and create again: they exist with a different spec hash than the desired one. */
async function podsToReplace(driver: WorkspaceDriver, objects: readonly KubeObject[], context: DriverContext): Promise<KubeObjectRef[]> {
  const pods = objects.filter((object) => object.kind === 'Pod');
  if (pods.length === 0) return [];
  const observed = await driver.read(pods.map(refOf), context);
  return pods
    .filter((pod, index) => {
      const seen = observed[index];
      const seenHash = seen?.object?.metadata.annotations?.[ANNOTATIONS.specHash];
      return seen?.exists === true && seenHash !== pod.metadata.annotations?.[ANNOTATIONS.specHash];
    })
    .map(refOf);
}

/** Who asked for a change, for the audit entry and the observation: a job, or an event outside any process. */
export interface ReconcileOrigin {
  /** Audit actor, e.g. `process:spe-environment-setup`. */
  actor: string;
  /** Audit action, e.g. `workspace.disable-network`. */
  action: string;
  /** Idempotency key of the audit entry; recorded as the observation's `job`. */
  key: string;
}

export function jobOrigin(job: Pick<WorkerJob, 'type' | 'elementInstanceKey' | 'bpmnProcessId'>, permitId: string): ReconcileOrigin {
  return { actor: processActor(job), action: job.type, key: jobIdempotencyKey(job, permitId) };
}

export interface ReconcileInput {
  origin: ReconcileOrigin;
  permitId: string;
  /** The phase the task is about (driver context and logs); by default the research workspace's, else the first. */
  phase?: WorkspacePhase;
  label: string;
  change: (states: WorkspaceStates) => WorkspaceStates;
}

export async function reconcileWorkspace(ctx: WorkspaceContext, input: ReconcileInput, logger: Logger): Promise<ReconcileResult> {
  const { origin, permitId, label } = input;
  const { states: before, records } = await loadWorkspaces(ctx.store, permitId, label);
  let after: WorkspaceStates;
  try {
    after = input.change(before);
  } catch (error) {
    throw toJobError(error, label);
  }
  const changed = changedStates(before, after);
  const jobKey = origin.key;
  if (changed.length > 0) await ctx.store.saveDesired(permitId, changed, { actor: origin.actor, action: origin.action, idempotencyKey: jobKey });

  const allStates = Object.values(after).filter((s): s is WorkspaceDesiredState => !!s);
  const phase: WorkspacePhase = input.phase ?? activeResearchPhase(after) ?? allStates[0]?.phase ?? 'setup';
  const context = { permitId, phase };
  const observeInto = allStates.map((s) => s.phase);
  let objects: KubeObject[];
  try {
    objects = renderWorkspaceObjects(permitId, allStates, ctx.render);
  } catch (error) {
    throw toJobError(error, label);
  }
  const desiredKeys = new Set(objects.map((o) => refKey(refOf(o))));
  const everyState = [...new Map([...Object.values(before), ...allStates].filter((s): s is WorkspaceDesiredState => !!s).map((s) => [s.phase, s])).values()];
  const stale = possibleRefs(permitId, everyState).filter((ref) => !desiredKeys.has(refKey(ref)));

  const removed: RemovedObject[] = [];
  let step: 'apply' | 'remove' = 'remove';
  try {
    const replace = await podsToReplace(ctx.driver, objects, context);
    removed.push(...(await ctx.driver.remove(removalOrder([...stale, ...replace]), context)));
    step = 'apply';
    const applied = await ctx.driver.apply(objects, context);
    if (ctx.outputsTokens) await syncOutputsTokenSecret({ driver: ctx.driver, render: ctx.render, tokens: ctx.outputsTokens }, { permitId, objects, actor: origin.actor, context }, logger);
    const observed = await ctx.driver.read(objects.map(refOf), context);
    const missing = observed.filter((o) => !o.exists).map((o) => describeRef(o.ref));
    const observation: WorkspaceObservation = {
      driver: ctx.driver.name,
      observedAt: ctx.clock().toISOString(),
      job: jobKey,
      objects: observed.map((o) => ({ ref: describeRef(o.ref), exists: o.exists })),
      failure: null,
    };
    await ctx.store.saveObserved(permitId, observeInto, observation);
    const gone = removed.filter((r) => r.existed);
    logger.info(
      { phase, applied: applied.length, removed: gone.map(describeRef), missing, changedPhases: changed.map((s) => s.phase), namespace: namespaceName(permitId) },
      `workspace reconciled: ${applied.length} object(s) applied, ${gone.length} removed`,
    );
    return { before, after, records, objects, applied, removed, missing };
  } catch (error) {
    let report: FailureReport | undefined;
    if (error instanceof WorkspaceDriverError) {
      report = describeFailure(error, step, step === 'apply' ? removed.filter((r) => r.existed) : []);
      await ctx.store
        .saveObserved(permitId, observeInto, { driver: ctx.driver.name, observedAt: ctx.clock().toISOString(), job: jobKey, failure: report })
        .catch((saveError: unknown) => logger.error({ err: saveError }, 'could not record the failed reconcile in the observed state'));
      logger.warn({ phase, failure: report }, `workspace change stopped midway: ${report.message}`);
    }
    throw toJobError(error, label, report);
  }
}

/** Runs `task` with the permit's lock held (see keyed-mutex.ts). */
export function forPermit<T>(ctx: WorkspaceContext, permitId: string, task: () => Promise<T>): Promise<T> {
  return ctx.mutex.run(permitId, task);
}
