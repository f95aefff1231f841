/**
 * The rows of `workspaces`: the desired and observed state the job workers' workspace store writes and the REST
 * API's workspaces feature reads.
 */
import type { WorkspacePhase } from '../../shared/index.js';
import { toIso, type TimestampValue } from '../columns.js';

export interface WorkspaceRow {
  permit_id: string;
  phase: WorkspacePhase;
  desired_state: Record<string, unknown>;
  observed_state: Record<string, unknown> | null;
  updated_at: TimestampValue;
}

export interface Workspace {
  permitId: string;
  phase: WorkspacePhase;
  desiredState: Record<string, unknown>;
  observedState: Record<string, unknown> | null;
  updatedAt: string;
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    permitId: row.permit_id,
    phase: row.phase,
    desiredState: row.desired_state,
    observedState: row.observed_state,
    updatedAt: toIso(row.updated_at),
  };
}
