import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../shared/index.js';
import { WorkspaceUnavailableError } from '../drivers/workspace-driver.js';
import { toAnalysis, workspaceKit } from '../testing/workspace-test-kit.js';

type Kit = ReturnType<typeof workspaceKit>;
const allowedUsers = (kit: Kit) => {
  const access = [...kit.driver.objects.values()].find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'workspace-access');
  return access ? (JSON.parse((access.data as Record<string, string>)['allowed-users']!) as string[]) : undefined;
};
const membersChanged = (id: string, permitId: string | null = 'permit-1') => ({ id, name: EVENTS.membersChanged, permitId });

describe('the team access sink (permit.members.changed)', () => {
  it('brings the access list up to the research team at once, in analysis, audited once per event', async () => {
    const kit = workspaceKit();
    kit.store.members.set('permit-1', ['alice']);
    await toAnalysis(kit);
    expect(allowedUsers(kit)).toEqual(['alice']);

    kit.store.members.set('permit-1', ['alice', 'bob']);
    await kit.teamAccessSink.publish(membersChanged('event-1'));
    expect(allowedUsers(kit)).toEqual(['alice', 'bob']);
    await kit.teamAccessSink.publish(membersChanged('event-1'));
    expect(kit.store.changeAudits.filter((a) => a.actor === 'team-change')).toEqual([
      expect.objectContaining({ action: 'workspace.sync-access', idempotencyKey: 'workspace.sync-access/permit-1/event-event-1' }),
    ]);

    kit.store.members.set('permit-1', ['bob']);
    await kit.teamAccessSink.publish(membersChanged('event-2'));
    expect(allowedUsers(kit)).toEqual(['bob']);
  });

  it('keeps the list empty while the workspace is suspended, and fills it with the new team on resume', async () => {
    const kit = workspaceKit();
    kit.store.members.set('permit-1', ['alice']);
    await toAnalysis(kit);
    await kit.run(kit.job(kit.types.workspaceSuspend));
    kit.store.members.set('permit-1', ['alice', 'bob']);
    await kit.teamAccessSink.publish(membersChanged('event-1'));
    expect(allowedUsers(kit)).toEqual([]);
    await kit.run(kit.job(kit.types.workspaceResume));
    expect(allowedUsers(kit)).toEqual(['alice', 'bob']);
  });

  it('ignores other events and permits without an open research workspace', async () => {
    const kit = workspaceKit();
    kit.store.members.set('permit-1', ['alice']);
    await kit.teamAccessSink.publish(membersChanged('event-1'));
    await kit.teamAccessSink.publish({ id: 'event-2', name: EVENTS.amended, permitId: 'permit-1' });
    await kit.teamAccessSink.publish(membersChanged('event-3', null));
    expect(kit.driver.list()).toEqual([]);
    expect(kit.store.rows.size).toBe(0);
  });

  it('rejects while the cluster is unreachable, so the relay tries the event again', async () => {
    const kit = workspaceKit();
    await toAnalysis(kit);
    kit.store.members.set('permit-1', ['bob']);
    kit.driver.failNext(() => true, (completed, failed) => new WorkspaceUnavailableError('connect ECONNREFUSED', { completed, failed }));
    await expect(kit.teamAccessSink.publish(membersChanged('event-1'))).rejects.toThrow(/ECONNREFUSED/);
    await kit.teamAccessSink.publish(membersChanged('event-1'));
    expect(allowedUsers(kit)).toEqual(['bob']);
  });
});
