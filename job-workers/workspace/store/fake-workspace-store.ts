/** In-memory `WorkspaceStore` for unit and process tests: the same upsert and merge rules as the database one. */
import type { WorkspacePhase } from '../../../shared/index.js';
import type { WorkspaceDesiredState } from '../state/workspace-state.js';
import type { DeletionRecord, WorkspaceChangeAudit, WorkspaceObservation, WorkspaceRecord, WorkspaceStore } from './workspace-store.js';

export interface FakeWorkspaceStore extends WorkspaceStore {
  rows: Map<string, WorkspaceRecord & { permitId: string }>;
  members: Map<string, string[]>;
  egressFiles: Map<string, string[]>;
  deletions: DeletionRecord[];
  /** The audit entries a database store would append: one per change, once per idempotency key. */
  changeAudits: Array<WorkspaceChangeAudit & { permitId: string; phases: WorkspacePhase[] }>;
}

const key = (permitId: string, phase: WorkspacePhase) => `${permitId}/${phase}`;

export function createFakeWorkspaceStore(): FakeWorkspaceStore {
  const rows = new Map<string, WorkspaceRecord & { permitId: string }>();
  const copy = <T>(value: T): T => structuredClone(value);
  const store: FakeWorkspaceStore = {
    rows,
    members: new Map(),
    egressFiles: new Map(),
    deletions: [],
    changeAudits: [],
    async load(permitId) {
      return [...rows.values()].filter((row) => row.permitId === permitId).map(({ phase, desired, observed }) => copy({ phase, desired, observed }));
    },
    async saveDesired(permitId, states: readonly WorkspaceDesiredState[], audit) {
      if (states.length === 0) return;
      if (!store.changeAudits.some((entry) => entry.idempotencyKey === audit.idempotencyKey)) {
        store.changeAudits.push({ ...audit, permitId, phases: states.map((state) => state.phase) });
      }
      for (const state of states) {
        const existing = rows.get(key(permitId, state.phase));
        rows.set(key(permitId, state.phase), { permitId, phase: state.phase, desired: copy(state), observed: existing?.observed ?? null });
      }
    },
    async saveObserved(permitId, phases, observation: WorkspaceObservation) {
      for (const phase of phases) {
        const row = rows.get(key(permitId, phase));
        if (row) row.observed = { ...row.observed, ...copy(observation) };
      }
    },
    async researchTeam(permitId) {
      return [...(store.members.get(permitId) ?? [])];
    },
    async egressRequestFiles(permitId, egressRequestId) {
      const files = store.egressFiles.get(`${permitId}/${egressRequestId}`);
      return files ? [...files] : undefined;
    },
    async recordDeletion(record) {
      for (const row of rows.values()) if (row.permitId === record.permitId) row.observed = { ...row.observed, deletionCertificate: copy(record.certificate) };
      if (!store.deletions.some((d) => d.idempotencyKey === record.idempotencyKey)) store.deletions.push(copy(record));
    },
  };
  return store;
}
