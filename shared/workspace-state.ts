/**
 * The desired state of one workspace (one row of the `workspaces` table per permit and phase, column
 * `desired_state`). Handlers change it with the pure functions of `state-changes.ts`; `render/` turns it into
 * Kubernetes objects. It is stored as JSON and read back through `WorkspaceDesiredStateSchema`, so a row written
 * by an older worker still parses (every field has a default).
 *
 * It lives in shared/ because two components read it: the workspace workers write it, the REST API shows it
 * (`GET /api/permits/{id}/workspaces`).
 *
 * The setup and analysis phases are one workspace in two shapes ("the Setup VM becomes the Analysis VM"): the
 * permanent `disable-network` promotes the setup row to an analysis row (`status: promoted` on setup).
 */
import { z } from 'zod';
import { WORKSPACE_PHASES, WORKSPACE_VOLUMES, type WorkspacePhase, type WorkspaceVolume } from './index.js';

/** Lifecycle of a phase's workspace. Only `active` renders compute, network and access; the others keep storage. */
export const WORKSPACE_STATUSES = ['active', 'promoted', 'torn-down', 'deleted'] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** How the workspace runs: a Pod (default) or a KubeVirt VirtualMachine. */
export const WORKSPACE_RUNTIMES = ['pod', 'kubevirt'] as const;
export type WorkspaceRuntime = (typeof WORKSPACE_RUNTIMES)[number];

/** `proxied`: egress only to the allow-listed proxy and DNS. `none`: no egress at all. */
export const NETWORK_MODES = ['proxied', 'none'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

export interface VolumeMount {
  volume: WorkspaceVolume;
  readOnly: boolean;
}

export interface SnapshotRecord {
  /** VolumeSnapshot name (DNS-1123). */
  name: string;
  /** The PersistentVolumeClaim it snapshots. */
  source: string;
  /** Why: `review` (freeze) or `archive`. */
  purpose: 'review' | 'archive';
  takenAt: string;
  /** Archive snapshots: kept by the storage (snapshot class with deletionPolicy Retain) at least until then. */
  retainUntil?: string;
}

export interface ReleaseRecord {
  egressRequestId: string;
  /** Job name (DNS-1123). */
  job: string;
  /** Paths relative to /outputs. */
  files: string[];
}

export interface WorkspaceDesiredState {
  phase: WorkspacePhase;
  status: WorkspaceStatus;
  runtime: WorkspaceRuntime;
  /** Compute wanted (false: stopped, e.g. frozen for review). */
  running: boolean;
  /** All sessions halted by `workspace.suspend` until `workspace.resume`; wins over `running`. */
  suspended: boolean;
  network: NetworkMode;
  /** Set by the permanent disable-network: the internet never comes back. */
  networkLocked: boolean;
  /** Data volumes mounted into the workload. */
  mounts: VolumeMount[];
  /** Data volumes (PVCs) this workspace created; kept after teardown until `workspace.delete-data`. */
  volumes: WorkspaceVolume[];
  snapshots: SnapshotRecord[];
  releases: ReleaseRecord[];
  /** User ids allowed into the workspace through the access gateway (research team; setup and analysis only). */
  members: string[];
}

const VolumeSchema = z.enum(WORKSPACE_VOLUMES);

export const WorkspaceDesiredStateSchema = z.object({
  phase: z.enum(WORKSPACE_PHASES),
  status: z.enum(WORKSPACE_STATUSES).default('active'),
  runtime: z.enum(WORKSPACE_RUNTIMES).default('pod'),
  running: z.boolean().default(true),
  suspended: z.boolean().default(false),
  network: z.enum(NETWORK_MODES).default('none'),
  networkLocked: z.boolean().default(false),
  mounts: z.array(z.object({ volume: VolumeSchema, readOnly: z.boolean() })).default([]),
  volumes: z.array(VolumeSchema).default([]),
  snapshots: z
    .array(
      z.object({
        name: z.string(),
        source: z.string(),
        purpose: z.enum(['review', 'archive']),
        takenAt: z.string(),
        retainUntil: z.string().optional(),
      }),
    )
    .default([]),
  releases: z.array(z.object({ egressRequestId: z.string(), job: z.string(), files: z.array(z.string()) })).default([]),
  members: z.array(z.string()).default([]),
}) satisfies z.ZodType<WorkspaceDesiredState, unknown>;

/** Research workspaces: what the research team works in. */
export const RESEARCH_PHASES: readonly WorkspacePhase[] = ['setup', 'analysis'];

export function isResearchPhase(phase: WorkspacePhase): boolean {
  return RESEARCH_PHASES.includes(phase);
}

/** The state a freshly provisioned workspace of `phase` starts in. */
export function initialState(phase: WorkspacePhase, runtime: WorkspaceRuntime): WorkspaceDesiredState {
  const base: WorkspaceDesiredState = {
    phase,
    status: 'active',
    runtime: phase === 'ingress' ? 'pod' : runtime,
    running: true,
    suspended: false,
    network: 'none',
    networkLocked: false,
    mounts: [],
    volumes: [],
    snapshots: [],
    releases: [],
    members: [],
  };
  switch (phase) {
    case 'ingress':
      // The airlock receives uploads into /raw (quarantine until scanned); no egress.
      return { ...base, mounts: [{ volume: 'raw', readOnly: false }], volumes: ['raw'] };
    case 'preprocessing':
      // HDAB data stewards turn /raw into /prepared; no researcher access, no egress.
      return { ...base, mounts: [{ volume: 'raw', readOnly: true }, { volume: 'prepared', readOnly: false }], volumes: ['raw', 'prepared'] };
    case 'setup':
      // Proxied, allow-listed internet and no data at all.
      return { ...base, network: 'proxied' };
    case 'analysis':
      // Only reached by promotion from setup (see promoteToAnalysis); provisioned directly it starts sealed.
      return { ...base, networkLocked: true, running: false };
  }
}
