/**
 * `WorkspaceStore` on the Permit Manager's database: table `workspaces` (desired and observed state per permit
 * and phase), `permit_members` (research team), `egress_requests` (files) and the audit log (every change of desired
 * state, and the proof of deletion).
 */
import type { Knex } from 'knex';
import { TABLES, appendAudit, type WorkspaceRow } from '../../../db/index.js';
import type { TeamRole, WorkspacePhase } from '../../../shared/index.js';
import { DELETION_AUDIT_ACTION, type WorkspaceObservation, type WorkspaceStore } from './workspace-store.js';

const RESEARCH_TEAM: TeamRole = 'RESEARCH_TEAM';

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

export function createKnexWorkspaceStore(knex: Knex): WorkspaceStore {
  async function mergeObserved(trx: Knex.Transaction, permitId: string, phases: readonly WorkspacePhase[] | 'all', patch: WorkspaceObservation) {
    let query = trx<WorkspaceRow>(TABLES.workspaces).where({ permit_id: permitId });
    if (phases !== 'all') query = query.whereIn('phase', [...phases]);
    const rows = (await query.forUpdate().select('phase', 'observed_state')) as Pick<WorkspaceRow, 'phase' | 'observed_state'>[];
    for (const row of rows) {
      const merged = { ...(parseJson(row.observed_state) as WorkspaceObservation | null), ...patch };
      await trx(TABLES.workspaces)
        .where({ permit_id: permitId, phase: row.phase })
        .update({ observed_state: JSON.stringify(merged), updated_at: trx.fn.now() });
    }
  }

  return {
    async load(permitId) {
      const rows = (await knex<WorkspaceRow>(TABLES.workspaces).where({ permit_id: permitId }).select('phase', 'desired_state', 'observed_state')) as Pick<
        WorkspaceRow,
        'phase' | 'desired_state' | 'observed_state'
      >[];
      return rows.map((row) => ({
        phase: row.phase,
        desired: parseJson(row.desired_state),
        observed: (parseJson(row.observed_state) as WorkspaceObservation | null) ?? null,
      }));
    },
    async saveDesired(permitId, states, audit) {
      if (states.length === 0) return;
      await knex.transaction(async (trx) => {
        await trx(TABLES.workspaces)
          .insert(states.map((state) => ({ permit_id: permitId, phase: state.phase, desired_state: JSON.stringify(state), updated_at: trx.fn.now() })))
          .onConflict(['permit_id', 'phase'])
          .merge(['desired_state', 'updated_at']);
        // Last in the transaction (appendAudit locks the chain head until commit).
        await appendAudit(trx, { actor: audit.actor, action: audit.action, permitId, details: { workspaces: states }, idempotencyKey: audit.idempotencyKey });
      });
    },
    async saveObserved(permitId, phases, observation) {
      if (phases.length === 0) return;
      await knex.transaction((trx) => mergeObserved(trx, permitId, phases, observation));
    },
    async researchTeam(permitId) {
      const rows = (await knex(TABLES.permitMembers).where({ permit_id: permitId, team_role: RESEARCH_TEAM }).select('user_id').orderBy('user_id')) as { user_id: string }[];
      return rows.map((row) => row.user_id);
    },
    async egressRequestFiles(permitId, egressRequestId) {
      const row = (await knex(TABLES.egressRequests).where({ id: egressRequestId, permit_id: permitId }).first('files')) as { files: unknown } | undefined;
      if (!row) return undefined;
      const files = parseJson(row.files);
      return Array.isArray(files) ? files.map((file) => String((file as { path?: unknown }).path ?? '')).filter(Boolean) : [];
    },
    async recordDeletion({ permitId, certificate, actor, idempotencyKey }) {
      await knex.transaction(async (trx) => {
        await mergeObserved(trx, permitId, 'all', { deletionCertificate: certificate });
        // Last in the transaction (appendAudit locks the chain head until commit).
        // Its own key: the job's key is already the one of the desired-state change the same job recorded (saveDesired),
        // and reusing it would make this entry a silent no-op, leaving the proof of deletion out of the audit chain.
        await appendAudit(trx, { actor, action: DELETION_AUDIT_ACTION, permitId, details: { ...certificate }, idempotencyKey: `${idempotencyKey}#proof-of-deletion` });
      });
    },
  };
}
