/**
 * The demo's account of what happened: the lines shown under each step (what changed since the last snapshot)
 * and the timeline printed at the end (people's actions, status changes, decisions, workspace changes and
 * notifications, in time order, each with its actor), built from the permit's records and its audit log.
 */
import { mountPath } from '../job-workers/workspace/render/names.js';
import type { WorkspacePhase, WorkspaceVolume } from '../shared/index.js';
import type { DeliveryView, DemoSnapshot, WorkspaceView } from './demo-snapshot.js';

export interface TimelineEntry {
  at: string;
  actor: string;
  kind: 'action' | 'status' | 'decision' | 'workspace' | 'notification';
  text: string;
}

/** An entry of the permit's audit log (`GET /api/audit?permitId=`). */
export interface AuditEntryView {
  occurredAt: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

/**
 * The people's actions, in words. Decisions are left out (the review list tells them with their comments), and so
 * is what the processes record, which the status history already shows.
 */
const ACTION_WORDS: Record<string, (details: Record<string, unknown>) => string> = {
  'permit.created': () => 'filed the application',
  'permit.submit': () => 'submitted the application',
  'permit.provide-info': () => 'answered the request for information',
  'permit.initiate-ingress': () => 'asked the data holders for the data',
  'permit.confirm-upload': () => 'confirmed the upload with its manifest',
  'permit.submit-setup-for-review': () => 'submitted the workspace setup for review',
  'permit.close': () => 'closed the permit',
  'egress.request-created': () => 'drafted an output request',
  'egress.request-submitted': () => 'submitted the output request',
  'task.completed': (details) => `completed the task ${typeof details.formId === 'string' ? `"${details.formId}"` : String(details.elementId ?? '')}`,
  'workspace.data.deleted': () => 'recorded the deletion certificate',
};

/** A workspace in words: what runs, what the network allows, what data it sees. */
export function describeWorkspace(w: Omit<WorkspaceView, 'updatedAt'>): string {
  if (w.status === 'deleted') return `${w.phase} workspace deleted (volumes and snapshots gone)`;
  if (w.status === 'torn-down') return `${w.phase} workspace torn down${w.volumes.length ? `; volumes kept until deletion: ${w.volumes.join(', ')}` : ''}`;
  if (w.status === 'promoted') return `${w.phase} workspace became the analysis workspace`;
  const compute = w.suspended ? 'suspended' : w.running ? 'running' : 'stopped (frozen)';
  const network = w.network === 'proxied' ? 'internet through the allow-listed proxy' : `no internet${w.networkLocked ? ', for good' : ''}`;
  // The paths the workload sees (the workspace renderer's own), e.g. /prepared_data, not the volume names.
  const data = w.mounts.length
    ? w.mounts.map((m) => `${mountPath(w.phase as WorkspacePhase, m.volume as WorkspaceVolume)} ${m.readOnly ? 'read-only' : 'read-write'}`).join(', ')
    : 'no data';
  const extras = [
    w.snapshots.length ? `${w.snapshots.length} snapshot${w.snapshots.length > 1 ? 's' : ''}` : '',
    w.releases.length ? `released ${w.releases.flatMap((r) => r.files).join(', ')}` : '',
  ].filter(Boolean);
  return `${w.phase} workspace: ${compute}, ${network}, ${data}${extras.length ? `; ${extras.join('; ')}` : ''}`;
}

/** A delivery that is not (yet) sent, in plain words: the ledger's `claimed` is a copy being sent right now. */
const UNSENT_WORDS: Record<string, string> = { claimed: 'still being sent', failed: 'failed, retried by the process' };
const channelWithOutcome = (d: DeliveryView) => (d.status === 'sent' ? d.channel : `${d.channel} ${UNSENT_WORDS[d.status] ?? d.status}`);

/** Notifications grouped per message, people in name order, channels as email, slack, in-app: "notified alice (email, in-app): workspace-ready". */
function describeDeliveries(deliveries: readonly DeliveryView[]): string[] {
  const byTemplate = new Map<string, Map<string, string[]>>();
  for (const d of deliveries) {
    const recipients = byTemplate.get(d.template) ?? new Map<string, string[]>();
    recipients.set(d.recipient, [...(recipients.get(d.recipient) ?? []), channelWithOutcome(d)]);
    byTemplate.set(d.template, recipients);
  }
  const channelOrder = (label: string) => ['email', 'slack', 'in-app'].findIndex((channel) => label.startsWith(channel));
  return [...byTemplate].map(
    ([template, recipients]) =>
      `notified ${[...recipients]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([who, channels]) => `${who} (${channels.sort((a, b) => channelOrder(a) - channelOrder(b)).join(', ')})`)
        .join(', ')}: ${template}`,
  );
}

const deliveryKey = (d: DeliveryView) => `${d.template}|${d.recipient}|${d.channel}|${d.claimedAt}`;

/** What the HDAB's output release policy decided for an output request, when it decided anew since `before`. */
function describeReleasePolicies(before: DemoSnapshot | undefined, after: DemoSnapshot): string[] {
  const decided = new Map((before?.egress ?? []).map((r) => [r.id, `${r.requiredReviews}|${r.requiredReviewsReason}`]));
  return after.egress
    .filter((r) => r.requiredReviews !== null && decided.get(r.id) !== `${r.requiredReviews}|${r.requiredReviewsReason}`)
    .map((r) => `output release policy: ${r.requiredReviews === 1 ? 'one review' : `${r.requiredReviews} independent reviews`} (${r.requiredReviewsReason ?? 'no reason given'})`);
}

/** What is new in `after` compared with `before`: the detail lines of one step. */
export function describeChanges(before: DemoSnapshot | undefined, after: DemoSnapshot): string[] {
  const lines: string[] = [];
  for (const entry of after.history.slice(before?.history.length ?? 0)) {
    lines.push(`status ${entry.previousStatus ?? '(new)'} → ${entry.newStatus} by ${entry.actor}${entry.reason ? ` (${entry.reason})` : ''}`);
  }
  const seenWorkspaces = new Map((before?.workspaces ?? []).map((w) => [w.phase, describeWorkspace(w)]));
  for (const w of after.workspaces) {
    const now = describeWorkspace(w);
    if (seenWorkspaces.get(w.phase) !== now) lines.push(`${seenWorkspaces.has(w.phase) ? '' : 'provisioned '}${now}`);
  }
  lines.push(...describeReleasePolicies(before, after));
  const seenDeliveries = new Set((before?.deliveries ?? []).map(deliveryKey));
  lines.push(...describeDeliveries(after.deliveries.filter((d) => !seenDeliveries.has(deliveryKey(d)))));
  return lines;
}

/**
 * The workspace workers audit every change of a workspace with its new state (`workspace.<task>`): one line per
 * workspace changed, saying what it is now and which task changed it.
 */
function workspaceEntries(a: AuditEntryView): TimelineEntry[] {
  const workspaces = a.details.workspaces;
  if (!a.action.startsWith('workspace.') || !Array.isArray(workspaces)) return [];
  const task = a.action.slice('workspace.'.length);
  return (workspaces as Array<Omit<WorkspaceView, 'updatedAt'>>).map((w) => ({
    at: a.occurredAt,
    actor: a.actor,
    kind: 'workspace' as const,
    text: `${task === 'provision' ? 'provisioned ' : ''}${describeWorkspace(w)} (${task})`,
  }));
}

export function buildTimeline(final: DemoSnapshot, audit: readonly AuditEntryView[] = []): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...audit.flatMap((a) => {
      const words = ACTION_WORDS[a.action];
      return words ? [{ at: a.occurredAt, actor: a.actor, kind: 'action' as const, text: words(a.details) }] : workspaceEntries(a);
    }),
    ...final.history.map((h) => ({ at: h.occurredAt, actor: h.actor, kind: 'status' as const, text: `${h.previousStatus ?? '(new)'} → ${h.newStatus}${h.reason ? ` (${h.reason})` : ''}` })),
    ...final.reviews.map((r) => ({
      at: r.decidedAt,
      actor: r.reviewer,
      kind: 'decision' as const,
      text: `${r.stage} ${r.decision}${r.comment ? `: "${r.comment}"` : ''}`,
    })),
    ...groupDeliveries(final.deliveries).map((group) => ({ at: group.at, actor: 'platform', kind: 'notification' as const, text: group.text })),
  ];
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** One timeline line per message: deliveries of one template claimed within a second of each other. */
function groupDeliveries(deliveries: readonly DeliveryView[]): Array<{ at: string; text: string }> {
  const sorted = [...deliveries].sort((a, b) => Date.parse(a.claimedAt) - Date.parse(b.claimedAt));
  const groups: DeliveryView[][] = [];
  for (const d of sorted) {
    const last = groups.at(-1);
    if (last && last[0]!.template === d.template && Date.parse(d.claimedAt) - Date.parse(last[0]!.claimedAt) < 1000) last.push(d);
    else groups.push([d]);
  }
  return groups.map((group) => ({ at: group[0]!.claimedAt, text: describeDeliveries(group).join('; ') }));
}

/** Milliseconds from the timeline's first entry to its last: the same clock as the timeline's `+… s` column. */
export function timelineSpanMs(entries: readonly TimelineEntry[]): number {
  if (entries.length === 0) return 0;
  const times = entries.map((e) => Date.parse(e.at));
  return Math.max(...times) - Math.min(...times);
}

const KIND_LABEL: Record<TimelineEntry['kind'], string> = { action: 'action', status: 'status', decision: 'decision', workspace: 'workspace', notification: 'notify' };

/** The timeline as aligned text lines: time since the start, actor, kind, what happened. */
export function renderTimeline(entries: readonly TimelineEntry[]): string[] {
  if (entries.length === 0) return [];
  const start = Date.parse(entries[0]!.at);
  const actorWidth = Math.max(...entries.map((e) => e.actor.length));
  return entries.map((e) => {
    const offset = `+${((Date.parse(e.at) - start) / 1000).toFixed(1)} s`.padStart(9);
    return `${new Date(e.at).toISOString().slice(11, 23)} ${offset}  ${e.actor.padEnd(actorWidth)}  ${KIND_LABEL[e.kind].padEnd(9)} ${e.text}`;
  });
}
