/** In-memory WorkspacesStore for unit tests: `rows` are the `workspaces` rows of every permit. */
import type { StoredWorkspace, WorkspacesStore } from './workspaces-store.js';

export interface FakeWorkspacesStore extends WorkspacesStore {
  rows: (StoredWorkspace & { permitId: string })[];
}

export function createFakeWorkspacesStore(): FakeWorkspacesStore {
  const store: FakeWorkspacesStore = {
    rows: [],
    async list(permitId) {
      return store.rows.filter((row) => row.permitId === permitId).map(({ permitId: _permitId, ...row }) => structuredClone(row));
    },
  };
  return store;
}
