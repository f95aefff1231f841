/**
 * What was provisioned for a permit: each of its workspaces (ingress airlock, preprocessing, setup, analysis) as the
 * workspace workers want it and as they last saw it. Anyone who sees the permit sees its workspaces; anyone else
 * gets 404, as for the permit itself. A permit with nothing provisioned yet has no workspaces (an empty list).
 */
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import { byLifecycleOrder, toPermitWorkspace } from './workspace-view.js';
import type { PermitWorkspace } from './workspaces-schemas.js';
import type { WorkspacesStore } from './workspaces-store.js';

export interface WorkspacesServiceDeps {
  access: PermitAccess;
  store: WorkspacesStore;
}

export type WorkspacesService = ReturnType<typeof createWorkspacesService>;

export function createWorkspacesService(deps: WorkspacesServiceDeps) {
  return {
    async list(caller: Caller, permitId: string): Promise<{ items: PermitWorkspace[] }> {
      await deps.access.load(caller, permitId);
      const stored = await deps.store.list(permitId);
      return { items: stored.map((row) => toPermitWorkspace(permitId, row)).sort(byLifecycleOrder) };
    },
  };
}
