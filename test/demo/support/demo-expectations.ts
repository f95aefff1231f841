/**
 * What one run of the demo must leave behind, exactly: the status path, the review decisions, the notifications
 * (template, recipient, channel, how many times) and, when stopped after the setup approval, the analysis
 * workspace's Kubernetes objects. A duplicate anywhere (a notification sent twice, a second snapshot of one
 * freeze) shows as a difference.
 */
import type { PermitStatus } from '../../../shared/index.js';

export const EXPECTED_STATUS_PATH: readonly PermitStatus[] = [
  'SUBMITTED',
  'UNDER_ASSESSMENT',
  'APPROVED',
  'DATA_INGRESS_PENDING',
  'DATA_INGRESS_IN_PROGRESS',
  // No malware scanner in the test platforms: the files are not scanned, so the delivery is held until rita
  // releases it from quarantine (issue 16), never promoted silently.
  'DATA_INGRESS_BLOCKED',
  'DATA_INGRESS_IN_PROGRESS',
  'DATA_PREPARATION_PENDING',
  'WORKSPACE_SETUP_PENDING',
  'WORKSPACE_SETUP_REVIEW_PENDING',
  'WORKSPACE_SETUP_PENDING',
  'WORKSPACE_SETUP_REVIEW_PENDING',
  'ANALYSIS_PROVISIONING',
  'ANALYSIS_ACTIVE',
  'EGRESS_REVIEW_PENDING',
  'ANALYSIS_ACTIVE',
  'EGRESS_REVIEW_PENDING',
  'ANALYSIS_ACTIVE',
  'CLOSING',
  'DATA_DELETION_PENDING',
  'CLOSED',
];

export const EXPECTED_DECISIONS = [
  'APPLICATION APPROVED by rita',
  'SETUP REWORK_REQUESTED by rita',
  'SETUP APPROVED by rita',
  'EGRESS REWORK_REQUESTED by rita',
  'EGRESS APPROVED by rita',
  'EGRESS APPROVED by victor',
];

const CHANNELS = ['email', 'in-app'] as const;
const HDAB = ['rita', 'victor'];

/** template → who is told (each by email and in-app), and how often in one demo. */
const NOTIFICATIONS: ReadonlyArray<{ template: string; to: string[]; times?: number }> = [
  { template: 'application-submitted', to: HDAB },
  { template: 'permit-issued', to: ['alice'] },
  { template: 'ingress-initiated', to: ['dana'] },
  { template: 'ingress-blocked', to: ['dana', ...HDAB] },
  { template: 'ingress-completed', to: ['dana', ...HDAB] },
  { template: 'workspace-ready', to: ['alice'] },
  { template: 'setup-review-requested', to: HDAB, times: 2 },
  { template: 'setup-rework-requested', to: ['alice'] },
  { template: 'setup-approved', to: ['alice'] },
  { template: 'egress-review-requested', to: HDAB, times: 2 },
  { template: 'egress-rework-requested', to: ['alice'] },
  { template: 'egress-released', to: ['alice'] },
  { template: 'data-deleted', to: ['dana', ...HDAB] },
];

/** Sorted `template → recipient by channel` lines, one per delivery. */
export const EXPECTED_DELIVERIES: readonly string[] = NOTIFICATIONS.flatMap(({ template, to, times = 1 }) =>
  Array.from({ length: times }, () => to.flatMap((recipient) => CHANNELS.map((channel) => `${template} → ${recipient} by ${channel}`))).flat(),
).sort();

export function deliveryLines(deliveries: ReadonlyArray<{ template: string; recipient: string; channel: string }>): string[] {
  return deliveries.map((d) => `${d.template} → ${d.recipient} by ${d.channel}`).sort();
}

/** Objects (kind → count) of one permit's workspaces once the analysis runs, after two setup freezes. */
export const EXPECTED_ANALYSIS_OBJECTS: Readonly<Record<string, number>> = {
  configmap: 1,
  namespace: 1,
  networkpolicy: 2,
  persistentvolumeclaim: 4,
  pod: 1,
  resourcequota: 1,
  volumesnapshot: 2,
};

/**
 * The workspace changes of one demo, in order, as the audit trail records them: `<task> <phase>`. One task can
 * change several workspaces (teardown, delete-data); those are listed by phase.
 */
export const EXPECTED_WORKSPACE_CHANGES: readonly string[] = [
  'provision ingress',
  'provision preprocessing',
  'teardown preprocessing',
  'teardown ingress',
  'provision setup',
  'disable-network setup',
  'freeze setup',
  'enable-network setup',
  'start setup',
  'disable-network setup',
  'freeze setup',
  // The permanent disable-network promotes the setup workspace to the analysis workspace: both rows change.
  'disable-network analysis',
  'disable-network setup',
  'mount-data analysis',
  'mount-outputs analysis',
  'start analysis',
  'release-outputs analysis',
  'teardown analysis',
  'archive analysis',
  'delete-data analysis',
  'delete-data ingress',
  'delete-data preprocessing',
  'delete-data setup',
];

/** `<task> <phase>` per workspace line of the timeline; the lines of one audit entry (same time, same task) sorted. */
export function workspaceChanges(timeline: ReadonlyArray<{ at: string; kind: string; text: string }>): string[] {
  const groups: Array<{ key: string; lines: string[] }> = [];
  for (const entry of timeline.filter((e) => e.kind === 'workspace')) {
    const task = /\((\S+)\)$/.exec(entry.text)?.[1] ?? '?';
    const line = `${task} ${entry.text.replace(/^provisioned /, '').split(' ')[0]}`;
    const key = `${entry.at} ${task}`;
    const last = groups.at(-1);
    if (last?.key === key) last.lines.push(line);
    else groups.push({ key, lines: [line] });
  }
  return groups.flatMap((group) => group.lines.sort());
}
