/**
 * What the workspaces feature reads (the port): a permit's rows of the `workspaces` table (migration 0003, one row
 * per permit and phase), written by the workspace workers, as plain objects; the JSON columns come back as stored
 * and the service reads them. `createKnexWorkspacesStore` implements it, `createFakeWorkspacesStore` in memory.
 */
import type { WorkspacePhase } from '../../shared/index.js';

/** One row of `workspaces`: `desired_state` and `observed_state` as stored JSON, not yet read. */
export interface StoredWorkspace {
  phase: WorkspacePhase;
  desired: unknown;
  /** null while the worker has observed nothing. */
  observed: unknown;
  updatedAt: string;
}

export interface WorkspacesStore {
  /** The permit's workspaces, in no particular order; none when nothing was provisioned yet. */
  list(permitId: string): Promise<StoredWorkspace[]>;
}
