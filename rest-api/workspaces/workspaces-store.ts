/**
 * The `workspaces` table (migration 0003, one row per permit and phase), written by the workspace workers and read
 * here as plain objects. The JSON columns come back as stored; the service reads them.
 */
import type { Knex } from 'knex';
import { TABLES, toIso, type WorkspaceRow } from '../../db/index.js';
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

type WorkspaceColumns = Pick<WorkspaceRow, 'phase' | 'desired_state' | 'observed_state' | 'updated_at'>;

/** jsonb arrives parsed from pg and PGlite; text (an older driver, a raw query) is parsed here. */
function fromJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

export function createWorkspacesStore(knex: Knex): WorkspacesStore {
  return {
    async list(permitId) {
      const rows = (await knex(TABLES.workspaces).where({ permit_id: permitId }).select('phase', 'desired_state', 'observed_state', 'updated_at')) as WorkspaceColumns[];
      return rows.map((row) => ({
        phase: row.phase,
        desired: fromJson(row.desired_state),
        observed: fromJson(row.observed_state) ?? null,
        updatedAt: toIso(row.updated_at),
      }));
    },
  };
}
