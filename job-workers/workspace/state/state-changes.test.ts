import { describe, expect, it } from 'vitest';
import {
  archive,
  deleteData,
  disableNetwork,
  freeze,
  mountData,
  provision,
  resume,
  suspend,
  teardown,
  WorkspaceRuleError,
  type WorkspaceStates,
} from './state-changes.js';
import { WorkspaceDesiredStateSchema } from './workspace-state.js';

const P = 'permit-1';
const NOW = new Date('2026-01-01T00:00:00.000Z');

describe('workspace state changes', () => {
  it('is idempotent: provisioning, freezing and archiving twice gives the same states', () => {
    const once = provision({}, 'setup', 'pod', P);
    expect(provision(once, 'setup', 'pod', P)).toBe(once);
    const frozen = freeze(once, once.setup!, 'snap-1', NOW, P);
    expect(freeze(frozen, frozen.setup!, 'snap-1', NOW, P)).toEqual(frozen);
    const analysis = mountData(disableNetwork(frozen, frozen.setup!, true), disableNetwork(frozen, frozen.setup!, true).analysis!, 'outputs', false, P);
    const archived = archive(analysis, 'outputs-archive', NOW, 366);
    expect(archive(archived, 'outputs-archive', NOW, 366)).toBe(archived);
  });

  it('promotes the setup workspace to analysis on the permanent disable-network, keeping its disk, snapshots and members', () => {
    let states: WorkspaceStates = provision({}, 'setup', 'kubevirt', P);
    states = freeze(states, states.setup!, 'snap-1', NOW, P);
    const promoted = disableNetwork(states, states.setup!, true);
    expect(promoted.setup).toMatchObject({ status: 'promoted' });
    expect(promoted.analysis).toMatchObject({ phase: 'analysis', status: 'active', runtime: 'kubevirt', network: 'none', networkLocked: true, running: false, mounts: [] });
    expect(promoted.analysis?.snapshots.map((s) => s.name)).toEqual(['snap-1']);
  });

  it('refuses what the SPE rules forbid', () => {
    const ingress = provision({}, 'ingress', 'pod', P);
    expect(() => mountData(ingress, ingress.ingress!, 'prepared', true, P)).toThrow(WorkspaceRuleError);
    const pre = provision({}, 'preprocessing', 'pod', P);
    expect(() => mountData(pre, pre.preprocessing!, 'raw', false, P)).toThrow(/\/raw is read-only in preprocessing/);
    expect(() => freeze(pre, pre.preprocessing!, 's', NOW, P)).toThrow(/only the setup or analysis workspace can be frozen/);
    const deleted = deleteData(ingress);
    expect(() => provision(deleted, 'ingress', 'pod', P)).toThrow(/deleted/);
  });

  it('suspends and resumes every active workspace, leaving torn-down ones alone', () => {
    let states: WorkspaceStates = provision(provision({}, 'ingress', 'pod', P), 'preprocessing', 'pod', P);
    states = teardown(states, 'ingress');
    const suspended = suspend(states);
    expect(suspended.preprocessing?.suspended).toBe(true);
    expect(suspended.ingress?.suspended).toBe(false);
    expect(resume(suspended).preprocessing?.suspended).toBe(false);
  });

  it('provisions again after a teardown on the storage that was kept', () => {
    const torn = teardown(provision({}, 'ingress', 'pod', P), 'ingress');
    const again = provision(torn, 'ingress', 'pod', P);
    expect(again.ingress).toMatchObject({ status: 'active', running: true, volumes: ['raw'] });
  });

  it('reads a stored state back with defaults for fields an older worker did not write', () => {
    expect(WorkspaceDesiredStateSchema.parse({ phase: 'setup' })).toMatchObject({ status: 'active', runtime: 'pod', mounts: [], snapshots: [] });
    expect(WorkspaceDesiredStateSchema.safeParse({ phase: 'moon' }).success).toBe(false);
  });
});
