/**
 * What the demo knows about its permit at one moment, read over the REST API: the permit, its status history,
 * the review decisions, the output (egress) requests, the workspaces and the notification deliveries. Every step
 * of the demo decides from a snapshot whether it has happened already, so a demo resumes wherever it stopped.
 */
import type { PermitStatus } from '../shared/index.js';
import type { DemoApi } from './demo-api.js';
import type { AuditEntryView } from './demo-timeline.js';

export interface PermitView {
  id: string;
  title: string;
  status: PermitStatus;
  version: number;
  allowedActions: string[];
}

export interface HistoryEntry {
  previousStatus: PermitStatus | null;
  newStatus: PermitStatus;
  actor: string;
  reason: string | null;
  occurredAt: string;
}

export interface ReviewDecisionView {
  stage: string;
  decision: string;
  comment: string | null;
  reviewer: string;
  egressRequestId: string | null;
  decidedAt: string;
}

export interface EgressRequestView {
  id: string;
  title: string;
  status: string;
  files: Array<{ path: string }>;
  /** What the HDAB's output release policy decided at the last submission; null for a draft. */
  requiredReviews: number | null;
  requiredReviewsReason: string | null;
}

export interface WorkspaceView {
  phase: string;
  status: string;
  running: boolean;
  suspended: boolean;
  network: string;
  networkLocked: boolean;
  mounts: Array<{ volume: string; readOnly: boolean }>;
  volumes: string[];
  snapshots: Array<{ name: string; purpose: string }>;
  releases: Array<{ egressRequestId: string; files: string[] }>;
  members: string[];
  updatedAt: string;
}

export interface DeliveryView {
  template: string;
  recipient: string;
  channel: string;
  status: string;
  claimedAt: string;
  deliveredAt: string | null;
}

export interface DemoSnapshot {
  permit: PermitView;
  history: HistoryEntry[];
  reviews: ReviewDecisionView[];
  egress: EgressRequestView[];
  workspaces: WorkspaceView[];
  deliveries: DeliveryView[];
  takenAt: Date;
}

/** The user the demo reads as: the HDAB reviewer on every demo permit sees all of it. */
export const OBSERVER = 'rita';

async function read<T>(api: DemoApi, path: string): Promise<T> {
  const answer = await api.call<T>(OBSERVER, 'GET', path);
  if (answer.status !== 200) {
    const problem = answer.body as { detail?: string; title?: string };
    throw new Error(`GET ${path} answered HTTP ${answer.status}: ${problem.detail ?? problem.title ?? JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

const itemsOf = <T>(body: T[] | { items: T[] }): T[] => (Array.isArray(body) ? body : body.items);

export async function takeSnapshot(api: DemoApi, permitId: string): Promise<DemoSnapshot> {
  const base = `/permits/${permitId}`;
  const [permit, history, reviews, egress, workspaces, deliveries] = await Promise.all([
    read<PermitView>(api, base),
    read<HistoryEntry[]>(api, `${base}/history`),
    read<ReviewDecisionView[]>(api, `${base}/reviews`),
    read<EgressRequestView[]>(api, `${base}/egress-requests`),
    read<{ items: WorkspaceView[] }>(api, `${base}/workspaces`),
    read<{ items: DeliveryView[] }>(api, `${base}/notifications`),
  ]);
  return { permit, history, reviews, egress, workspaces: itemsOf(workspaces), deliveries: itemsOf(deliveries), takenAt: new Date() };
}

/** The permit's version: it changes with every change of the permit itself (one read instead of six). */
export async function readPermitVersion(api: DemoApi, permitId: string): Promise<number> {
  return (await read<PermitView>(api, `/permits/${permitId}`)).version;
}

/** The permit's notification deliveries alone (one read), while a step waits for the notifications it causes. */
export async function readDeliveries(api: DemoApi, permitId: string): Promise<DeliveryView[]> {
  return itemsOf(await read<{ items: DeliveryView[] }>(api, `/permits/${permitId}/notifications`));
}

/** The permit's audit log, every page. */
export async function readAudit(api: DemoApi, permitId: string): Promise<AuditEntryView[]> {
  const entries: AuditEntryView[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await read<{ items: Array<AuditEntryView & { seq: number }>; nextAfterSeq: number | null }>(api, `/audit?permitId=${permitId}&limit=1000&afterSeq=${afterSeq}`);
    entries.push(...page.items);
    if (page.nextAfterSeq === null) return entries;
    afterSeq = page.nextAfterSeq;
  }
}

// Questions the steps ask of a snapshot.

/** How many times the permit has entered `status`. */
export function timesIn(snapshot: DemoSnapshot, status: PermitStatus): number {
  return snapshot.history.filter((entry) => entry.newStatus === status).length;
}

export function hasBeenIn(snapshot: DemoSnapshot, status: PermitStatus): boolean {
  return timesIn(snapshot, status) > 0;
}

export function decisionsOf(snapshot: DemoSnapshot, stage: string, decision: string, reviewer?: string): ReviewDecisionView[] {
  return snapshot.reviews.filter((r) => r.stage === stage && r.decision === decision && (reviewer === undefined || r.reviewer === reviewer));
}

/** The demo's output request: it makes exactly one. */
export function demoEgressRequest(snapshot: DemoSnapshot): EgressRequestView | undefined {
  return snapshot.egress[0];
}
