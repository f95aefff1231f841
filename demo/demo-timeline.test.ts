import { describe, expect, it } from 'vitest';
import type { DemoSnapshot, WorkspaceView } from './demo-snapshot.js';
import { buildTimeline, describeChanges, describeWorkspace, renderTimeline, timelineSpanMs } from './demo-timeline.js';

const workspace = (overrides: Partial<WorkspaceView> = {}): WorkspaceView => ({
  phase: 'setup',
  status: 'active',
  running: true,
  suspended: false,
  network: 'proxied',
  networkLocked: false,
  mounts: [],
  volumes: [],
  snapshots: [],
  releases: [],
  members: ['alice'],
  updatedAt: '2026-11-26T10:00:05.000Z',
  ...overrides,
});

const snapshot = (overrides: Partial<DemoSnapshot> = {}): DemoSnapshot => ({
  permit: { id: 'p1', title: 'T', status: 'DRAFT', version: 1, allowedActions: [] },
  history: [],
  reviews: [],
  egress: [],
  workspaces: [],
  deliveries: [],
  takenAt: new Date('2026-11-26T10:00:00Z'),
  ...overrides,
});

describe('describeWorkspace', () => {
  it('says what runs, what the network allows and what data is mounted', () => {
    expect(describeWorkspace(workspace())).toBe('setup workspace: running, internet through the allow-listed proxy, no data');
    expect(
      describeWorkspace(
        workspace({
          phase: 'analysis',
          network: 'none',
          networkLocked: true,
          mounts: [
            { volume: 'prepared', readOnly: true },
            { volume: 'outputs', readOnly: false },
          ],
          releases: [{ egressRequestId: 'e1', files: ['t1.csv', 'f2.png'] }],
        }),
      ),
    ).toBe('analysis workspace: running, no internet, for good, /prepared_data read-only, /outputs read-write; released t1.csv, f2.png');
    expect(describeWorkspace(workspace({ running: false, network: 'none', snapshots: [{ name: 's', purpose: 'review' }] }))).toBe(
      'setup workspace: stopped (frozen), no internet, no data; 1 snapshot',
    );
    expect(describeWorkspace(workspace({ status: 'torn-down', volumes: ['raw', 'prepared'] }))).toBe('setup workspace torn down; volumes kept until deletion: raw, prepared');
    expect(describeWorkspace(workspace({ status: 'deleted' }))).toBe('setup workspace deleted (volumes and snapshots gone)');
  });
});

describe('describeChanges', () => {
  it('lists new status changes, new or changed workspaces and new notifications grouped per message', () => {
    const before = snapshot({
      history: [{ previousStatus: null, newStatus: 'DRAFT', actor: 'alice', reason: null, occurredAt: '2026-11-26T10:00:00Z' }],
      workspaces: [workspace()],
      deliveries: [{ template: 'application-submitted', recipient: 'rita', channel: 'email', status: 'sent', claimedAt: '2026-11-26T10:00:01Z', deliveredAt: '2026-11-26T10:00:01Z' }],
    });
    const after = snapshot({
      history: [...before.history, { previousStatus: 'DRAFT', newStatus: 'SUBMITTED', actor: 'alice', reason: 'submitted', occurredAt: '2026-11-26T10:00:02Z' }],
      workspaces: [workspace({ running: false, network: 'none' }), workspace({ phase: 'ingress', network: 'none', mounts: [{ volume: 'raw', readOnly: false }] })],
      deliveries: [
        ...before.deliveries,
        { template: 'workspace-ready', recipient: 'alice', channel: 'email', status: 'sent', claimedAt: '2026-11-26T10:00:03Z', deliveredAt: '2026-11-26T10:00:03Z' },
        { template: 'workspace-ready', recipient: 'alice', channel: 'in-app', status: 'sent', claimedAt: '2026-11-26T10:00:03Z', deliveredAt: '2026-11-26T10:00:03Z' },
        { template: 'workspace-ready', recipient: 'bob', channel: 'email', status: 'failed', claimedAt: '2026-11-26T10:00:03Z', deliveredAt: null },
      ],
    });
    expect(describeChanges(before, after)).toEqual([
      'status DRAFT → SUBMITTED by alice (submitted)',
      'setup workspace: stopped (frozen), no internet, no data',
      'provisioned ingress workspace: running, no internet, /raw read-write',
      'notified alice (email, in-app), bob (email failed, retried by the process): workspace-ready',
    ]);
    expect(describeChanges(after, after)).toEqual([]);
  });

  it("says what the output release policy decided, each time it decides anew", () => {
    const request = { id: 'e1', title: 'Table 1', status: 'DRAFT', files: [{ path: 't1.csv' }], requiredReviews: null, requiredReviewsReason: null };
    const draft = snapshot({ egress: [request] });
    const failed = snapshot({ egress: [{ ...request, status: 'IN_REVIEW', requiredReviews: 2, requiredReviewsReason: 'A file failed the checks.' }] });
    const byEye = snapshot({ egress: [{ ...request, status: 'IN_REVIEW', requiredReviews: 2, requiredReviewsReason: 'A figure is checked by eye.' }] });
    expect(describeChanges(undefined, draft)).toEqual([]);
    expect(describeChanges(draft, failed)).toEqual(['output release policy: 2 independent reviews (A file failed the checks.)']);
    expect(describeChanges(failed, failed)).toEqual([]);
    expect(describeChanges(failed, byEye)).toEqual(['output release policy: 2 independent reviews (A figure is checked by eye.)']);
  });
});

describe('buildTimeline and renderTimeline', () => {
  it('merges statuses, decisions, workspace states and notifications in time order', () => {
    const final = snapshot({
      history: [
        { previousStatus: null, newStatus: 'DRAFT', actor: 'alice', reason: null, occurredAt: '2026-11-26T10:00:00.000Z' },
        { previousStatus: 'WORKSPACE_SETUP_REVIEW_PENDING', newStatus: 'WORKSPACE_SETUP_PENDING', actor: 'spe-workers', reason: null, occurredAt: '2026-11-26T10:00:04.000Z' },
      ],
      reviews: [{ stage: 'SETUP', decision: 'REWORK_REQUESTED', comment: 'Remove the sync client', reviewer: 'rita', egressRequestId: null, decidedAt: '2026-11-26T10:00:03.500Z' }],
      deliveries: [
        { template: 'setup-rework-requested', recipient: 'alice', channel: 'email', status: 'sent', claimedAt: '2026-11-26T10:00:06.000Z', deliveredAt: null },
        { template: 'setup-rework-requested', recipient: 'alice', channel: 'in-app', status: 'sent', claimedAt: '2026-11-26T10:00:06.300Z', deliveredAt: null },
      ],
    });
    const audit = [
      { occurredAt: '2026-11-26T09:59:59.000Z', actor: 'alice', action: 'permit.created', details: {} },
      { occurredAt: '2026-11-26T10:00:03.500Z', actor: 'rita', action: 'review.decided', details: {} },
      { occurredAt: '2026-11-26T10:00:05.000Z', actor: 'process:spe-environment-setup', action: 'workspace.provision', details: { workspaces: [workspace()] } },
      { occurredAt: '2026-11-26T10:00:07.000Z', actor: 'rita', action: 'task.completed', details: { formId: 'data-preparation-signoff' } },
      { occurredAt: '2026-11-26T10:00:08.000Z', actor: 'process:spe-environment-setup', action: 'workspace.freeze', details: { workspaces: [workspace({ running: false, network: 'none' })] } },
    ];
    const entries = buildTimeline(final, audit);
    expect(entries.map((e) => e.kind)).toEqual(['action', 'status', 'decision', 'status', 'workspace', 'notification', 'action', 'workspace']);
    expect(entries[0]!.text).toBe('filed the application');
    expect(entries[4]).toEqual({
      at: '2026-11-26T10:00:05.000Z',
      actor: 'process:spe-environment-setup',
      kind: 'workspace',
      text: 'provisioned setup workspace: running, internet through the allow-listed proxy, no data (provision)',
    });
    expect(entries[5]!.text).toBe('notified alice (email, in-app): setup-rework-requested');
    expect(entries[6]!.text).toBe('completed the task "data-preparation-signoff"');
    expect(entries[7]!.text).toBe('setup workspace: stopped (frozen), no internet, no data (freeze)');
    expect(buildTimeline(final).map((e) => e.kind)).toEqual(['status', 'decision', 'status', 'notification']);
    const lines = renderTimeline(entries.slice(1));
    expect(lines[0]).toBe('10:00:00.000    +0.0 s  alice                          status    (new) → DRAFT');
    expect(lines[1]).toBe('10:00:03.500    +3.5 s  rita                           decision  SETUP REWORK_REQUESTED: "Remove the sync client"');
    expect(renderTimeline([])).toEqual([]);
  });
});

describe('timelineSpanMs', () => {
  it('is the time from the first to the last entry, whatever their order (the summary after --resume agrees with the timeline)', () => {
    const entry = (at: string) => ({ at, actor: 'alice', kind: 'action' as const, text: '' });
    expect(timelineSpanMs([entry('2026-11-26T10:00:02.500Z'), entry('2026-11-26T10:00:00.000Z'), entry('2026-11-26T10:00:12.250Z')])).toBe(12_250);
    expect(timelineSpanMs([])).toBe(0);
  });
});
