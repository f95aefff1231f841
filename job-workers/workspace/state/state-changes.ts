/**
 * What each workspace task does to the desired states of a permit's workspaces: pure functions from states to
 * states. A change the workspace rules forbid (data into the setup workspace, internet back into analysis,
 * writable prepared data) throws `WorkspaceRuleError`; the handlers turn it into an incident, because the diagram
 * asked for something the platform must never do. Every change is idempotent: doing it twice gives the same states.
 */
import type { WorkspacePhase, WorkspaceVolume } from '../../../shared/index.js';
import { initialState, isResearchPhase, RESEARCH_PHASES, type WorkspaceDesiredState, type WorkspaceRuntime } from './workspace-state.js';

export type WorkspaceStates = Partial<Record<WorkspacePhase, WorkspaceDesiredState>>;

/** A change the workspace rules refuse. */
export class WorkspaceRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceRuleError';
  }
}

function withState(states: WorkspaceStates, state: WorkspaceDesiredState): WorkspaceStates {
  return { ...states, [state.phase]: state };
}

/** The active research workspace (analysis when promoted, else setup), if any. */
export function activeResearchPhase(states: WorkspaceStates): 'setup' | 'analysis' | undefined {
  if (states.analysis?.status === 'active') return 'analysis';
  if (states.setup?.status === 'active') return 'setup';
  return undefined;
}

/** The active workspace a task acts on: the `phase` header when given, else the research workspace. */
export function targetState(states: WorkspaceStates, permitId: string, phase?: WorkspacePhase): WorkspaceDesiredState {
  const chosen = phase ?? activeResearchPhase(states);
  const state = chosen ? states[chosen] : undefined;
  if (!chosen || !state || state.status !== 'active') {
    const what = phase ? `no active ${phase} workspace` : 'no active setup or analysis workspace';
    throw new WorkspaceRuleError(`permit ${permitId} has ${what}; provision it first (workspace.provision)`);
  }
  return state;
}

export function provision(states: WorkspaceStates, phase: WorkspacePhase, runtime: WorkspaceRuntime, permitId: string): WorkspaceStates {
  const existing = states[phase];
  if (phase === 'setup' && states.analysis && states.analysis.status !== 'torn-down') {
    throw new WorkspaceRuleError(`permit ${permitId}: the setup workspace already became the analysis workspace and cannot be provisioned again`);
  }
  if (existing?.status === 'deleted') throw new WorkspaceRuleError(`permit ${permitId}: the data of the ${phase} workspace was deleted; it cannot be provisioned again`);
  if (existing?.status === 'promoted') throw new WorkspaceRuleError(`permit ${permitId}: the ${phase} workspace was promoted to analysis`);
  if (existing?.status === 'active') return states;
  const fresh = initialState(phase, runtime);
  if (!existing) return withState(states, fresh);
  // Provisioned again after a teardown: a new workload on the storage that was kept.
  return withState(states, { ...fresh, volumes: union(existing.volumes, fresh.volumes), snapshots: existing.snapshots, members: existing.members });
}

export function enableNetwork(states: WorkspaceStates, target: WorkspaceDesiredState, permitId: string): WorkspaceStates {
  if (target.networkLocked || target.phase !== 'setup') {
    throw new WorkspaceRuleError(`permit ${permitId}: the ${target.phase} workspace has no internet and never gets it back; only the setup workspace may use the proxy`);
  }
  return withState(states, { ...target, network: 'proxied' });
}

/** Internet off. `permanent` on the setup workspace makes it the analysis workspace (internet locked off). */
export function disableNetwork(states: WorkspaceStates, target: WorkspaceDesiredState, permanent: boolean): WorkspaceStates {
  if (permanent && target.phase === 'setup') return promoteToAnalysis(states, target);
  return withState(states, { ...target, network: 'none', networkLocked: target.networkLocked || permanent });
}

/** "The Setup VM becomes the Analysis VM": same disk, snapshots and members; internet locked off; stopped. */
export function promoteToAnalysis(states: WorkspaceStates, setup: WorkspaceDesiredState): WorkspaceStates {
  const analysis: WorkspaceDesiredState = {
    ...setup,
    phase: 'analysis',
    status: 'active',
    network: 'none',
    networkLocked: true,
    running: false,
    mounts: [],
    releases: [],
  };
  return { ...states, setup: { ...setup, status: 'promoted', running: false, network: 'none' }, analysis };
}

/** Stops the workload and snapshots its disk (a second delivery finds the snapshot there). */
export function freeze(states: WorkspaceStates, target: WorkspaceDesiredState, snapshotName: string, now: Date, permitId: string): WorkspaceStates {
  if (!isResearchPhase(target.phase)) throw new WorkspaceRuleError(`permit ${permitId}: only the setup or analysis workspace can be frozen, not ${target.phase}`);
  const snapshots = target.snapshots.some((s) => s.name === snapshotName)
    ? target.snapshots
    : [...target.snapshots, { name: snapshotName, source: 'workspace-disk', purpose: 'review' as const, takenAt: now.toISOString() }];
  return withState(states, { ...target, running: false, snapshots });
}

export function start(states: WorkspaceStates, target: WorkspaceDesiredState): WorkspaceStates {
  return withState(states, { ...target, running: true });
}

const MOUNT_RULES: Record<WorkspacePhase, (volume: WorkspaceVolume, readOnly: boolean) => string | undefined> = {
  ingress: (volume) => (volume === 'raw' ? undefined : 'the ingress airlock only holds /raw'),
  preprocessing: (volume, readOnly) => {
    if (volume === 'outputs') return 'the preprocessing workspace has no /outputs';
    if (volume === 'raw' && !readOnly) return '/raw is read-only in preprocessing';
    return undefined;
  },
  setup: () => 'the setup workspace never gets data volumes',
  analysis: (volume, readOnly) => {
    if (volume === 'raw') return 'the analysis workspace sees prepared data only, never /raw';
    if (volume === 'prepared' && !readOnly) return '/prepared_data is mounted read-only in analysis';
    return undefined;
  },
};

export function mountData(states: WorkspaceStates, target: WorkspaceDesiredState, volume: WorkspaceVolume, readOnly: boolean, permitId: string): WorkspaceStates {
  const refusal = MOUNT_RULES[target.phase](volume, readOnly);
  if (refusal) throw new WorkspaceRuleError(`permit ${permitId}: cannot mount ${volume}${readOnly ? ' read-only' : ' writable'}: ${refusal}`);
  const mounts = [...target.mounts.filter((m) => m.volume !== volume), { volume, readOnly }];
  return withState(states, { ...target, mounts, volumes: union(target.volumes, [volume]) });
}

export function unmount(states: WorkspaceStates, target: WorkspaceDesiredState, volume: WorkspaceVolume): WorkspaceStates {
  return withState(states, { ...target, mounts: target.mounts.filter((m) => m.volume !== volume) });
}

export function releaseOutputs(states: WorkspaceStates, egressRequestId: string, job: string, files: string[], permitId: string): WorkspaceStates {
  const analysis = states.analysis;
  if (analysis?.status !== 'active' || !analysis.volumes.includes('outputs')) {
    throw new WorkspaceRuleError(`permit ${permitId}: outputs can only be released from an active analysis workspace with /outputs`);
  }
  if (analysis.releases.some((r) => r.egressRequestId === egressRequestId)) return states;
  return withState(states, { ...analysis, releases: [...analysis.releases, { egressRequestId, job, files }] });
}

/** Access lists follow the research team, on every research workspace (kept for when it is started again). */
export function syncAccess(states: WorkspaceStates, members: string[]): WorkspaceStates {
  let next = states;
  for (const phase of RESEARCH_PHASES) {
    const state = next[phase];
    if (state && state.status !== 'deleted') next = withState(next, { ...state, members: [...new Set(members)].sort() });
  }
  return next;
}

function mapActive(states: WorkspaceStates, change: (state: WorkspaceDesiredState) => WorkspaceDesiredState): WorkspaceStates {
  let next = states;
  for (const state of Object.values(states)) if (state?.status === 'active') next = withState(next, change(state));
  return next;
}

export const suspend = (states: WorkspaceStates) => mapActive(states, (state) => ({ ...state, suspended: true }));
export const resume = (states: WorkspaceStates) => mapActive(states, (state) => ({ ...state, suspended: false }));

/** Compute, network and access go; storage stays until delete-data. Setup and analysis are torn down together. */
export function teardown(states: WorkspaceStates, phase: WorkspacePhase): WorkspaceStates {
  const phases = isResearchPhase(phase) ? RESEARCH_PHASES : [phase];
  let next = states;
  for (const p of phases) {
    const state = next[p];
    if (state?.status === 'active') next = withState(next, { ...state, status: 'torn-down', running: false });
  }
  return next;
}

/** Snapshots /outputs into the archive snapshot class (kept by the storage after deletion). */
export function archive(states: WorkspaceStates, name: string, now: Date, retentionDays: number): WorkspaceStates {
  const analysis = states.analysis;
  if (!analysis || analysis.status === 'deleted' || !analysis.volumes.includes('outputs')) return states;
  if (analysis.snapshots.some((s) => s.purpose === 'archive')) return states;
  const retainUntil = new Date(now.getTime() + retentionDays * 24 * 60 * 60 * 1000).toISOString();
  const snapshot = { name, source: 'outputs', purpose: 'archive' as const, takenAt: now.toISOString(), retainUntil };
  return withState(states, { ...analysis, snapshots: [...analysis.snapshots, snapshot] });
}

export function deleteData(states: WorkspaceStates): WorkspaceStates {
  let next = states;
  for (const state of Object.values(states)) if (state) next = withState(next, { ...state, status: 'deleted', running: false });
  return next;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}
