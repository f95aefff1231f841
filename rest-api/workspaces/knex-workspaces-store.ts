/** `WorkspacesStore` on the Permit Manager's database: the `workspaces` table, JSON columns as stored. */
import type { Knex } from 'knex';
import { TABLES, toIso, type WorkspaceRow } from '../../db/index.js';
import type { WorkspacesStore } from './workspaces-store.js';

type WorkspaceColumns = Pick<WorkspaceRow, 'phase' | 'desired_state' | 'observed_state' | 'updated_at'>;

/** jsonb arrives parsed from pg and PGlite; text (an older driver, a raw query) is parsed here. */
function fromJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

export function createKnexWorkspacesStore(knex: Knex): WorkspacesStore {
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
