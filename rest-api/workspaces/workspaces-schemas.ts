/**
 * Response schemas of the workspaces feature (they also document the API in /api/openapi.json): each workspace of
 * a permit as the workspace workers want it (the `desired_state` they keep, parsed with their own
 * `WorkspaceDesiredStateSchema`) and a short, stable summary of what they last saw (`observed_state`).
 *
 * The enums come from the worker's state module, so the API and the stored state cannot drift; only the pure
 * state module is imported (zod and shared/), nothing of the worker runtime.
 */
import { z } from 'zod';
import { WORKSPACE_PHASES, WORKSPACE_VOLUMES } from '../../shared/index.js';
import { NETWORK_MODES, WORKSPACE_RUNTIMES, WORKSPACE_STATUSES, WorkspaceDesiredStateSchema } from '../../shared/workspace-state.js';

const SnapshotPurpose = WorkspaceDesiredStateSchema.shape.snapshots.unwrap().element.shape.purpose;
const Volume = z.enum(WORKSPACE_VOLUMES);

export const WorkspaceObservedSummarySchema = z
  .object({
    observedAt: z.string().nullable().describe('When the workspace worker last read the objects back (null: it never got that far)'),
    driver: z.string().nullable().describe('Who applied the objects: `manifests` (embedded mode, YAML files) or `kubernetes`'),
    objects: z
      .array(z.object({ kind: z.string().describe('Kubernetes kind, e.g. `NetworkPolicy`'), name: z.string(), exists: z.boolean() }))
      .describe("Every object of the permit's workspaces (one namespace) as the worker last read them back, in apply order; the same list on every workspace that job touched"),
    failure: z.string().nullable().describe('The last change stopped midway: what was done and which object failed; null once a later job succeeded'),
    dataDeletedAt: z.string().nullable().describe('When `workspace.delete-data` deleted the data (its proof of deletion is in the audit log)'),
  })
  .meta({ id: 'WorkspaceObservedSummary' });

export const PermitWorkspaceSchema = z
  .object({
    phase: z.enum(WORKSPACE_PHASES),
    status: z.enum(WORKSPACE_STATUSES).describe('`active` renders compute, network and access; `promoted` (setup became analysis), `torn-down` and `deleted` keep at most storage'),
    runtime: z.enum(WORKSPACE_RUNTIMES),
    running: z.boolean().describe('Compute wanted (false: stopped, e.g. frozen for review)'),
    suspended: z.boolean().describe('Halted by a permit suspension; wins over `running`'),
    network: z.enum(NETWORK_MODES).describe('`proxied`: egress only to the allow-listed proxy and DNS; `none`: no egress at all'),
    networkLocked: z.boolean().describe('The internet never comes back (analysis)'),
    mounts: z.array(z.object({ volume: Volume, readOnly: z.boolean() })).describe('Data volumes mounted into the workload'),
    volumes: z.array(Volume).describe('Data volumes this workspace created; kept after teardown until the data is deleted'),
    snapshots: z.array(
      z.object({
        name: z.string().describe('VolumeSnapshot name'),
        purpose: SnapshotPurpose,
        takenAt: z.string(),
        retainUntil: z.string().optional().describe('Archive snapshots: kept at least until then'),
      }),
    ),
    releases: z.array(z.object({ egressRequestId: z.string(), job: z.string().describe('The Job that copied the files'), files: z.array(z.string()).describe('Paths under /outputs') })),
    members: z.array(z.string()).describe('User ids let in through the access gateway'),
    observed: WorkspaceObservedSummarySchema.nullable().describe('null until the worker has read the objects back'),
    updatedAt: z.string(),
  })
  .meta({ id: 'PermitWorkspace' });

export const PermitWorkspaceListSchema = z
  .object({ items: z.array(PermitWorkspaceSchema).describe('In lifecycle order: ingress, preprocessing, setup, analysis') })
  .meta({ id: 'PermitWorkspaceList' });

export type WorkspaceObservedSummary = z.output<typeof WorkspaceObservedSummarySchema>;
export type PermitWorkspace = z.output<typeof PermitWorkspaceSchema>;
