/**
 * The values a template can use, built from the permit (database), the job's variables and the catalog entry.
 * Every key is always present (null when there is nothing to say), so the renderer's strict mode only trips over
 * a template asking for a name that does not exist. Actors are user ids in the variables, shown by their
 * directory name.
 */
import { PROCESS_IDS, type WorkspacePhase } from '../../shared/index.js';
import type { NotificationLinks } from './notification-links.js';
import { inWords } from './notification-wording.js';
import type { PermitSummary, Recipient } from './notification-store.js';
import type { TemplateSpec } from './template-catalog.js';
import type { TemplateContext } from './template-renderer.js';

/** Every name a template may use; `docs/notifications.md` lists them. */
export const CONTEXT_KEYS = [
  'permitId',
  'permitTitle',
  'permitStatus',
  'validUntil',
  'workspace',
  'actor',
  'decision',
  'comment',
  'link',
  'permitLink',
  'reviewName',
  'days',
  'daysLeft',
  'egressRequestId',
  'dataHolder',
  'closeReason',
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

export interface ContextInput {
  spec: TemplateSpec;
  permit: PermitSummary;
  variables: Readonly<Record<string, unknown>>;
  bpmnProcessId: string;
  /** The link builder on the public base URL (`createNotificationLinks`). */
  links: NotificationLinks;
  /** Directory entries of the user ids named in the variables (actor, data holder). */
  people: ReadonlyMap<string, Recipient>;
}

const WORKSPACE_LABELS: Record<WorkspacePhase, string> = {
  ingress: 'ingress workspace (quarantine for the data delivery)',
  preprocessing: 'data preparation workspace',
  setup: 'setup workspace (internet through the allow-listed proxy, no data)',
  analysis: 'analysis workspace (data mounted read-only, no internet)',
};

const PROCESS_WORKSPACES: Record<string, WorkspacePhase | 'none'> = {
  [PROCESS_IDS.application]: 'none',
  [PROCESS_IDS.ingress]: 'ingress',
  [PROCESS_IDS.setup]: 'setup',
  [PROCESS_IDS.analysis]: 'analysis',
  [PROCESS_IDS.egress]: 'analysis',
};

const REVIEW_NAMES: Record<string, string> = {
  [PROCESS_IDS.application]: 'assessment of the permit application',
  [PROCESS_IDS.setup]: 'review of the workspace setup',
  [PROCESS_IDS.egress]: 'review of an output request',
};

/** User ids the context needs names for: the actor candidates and the data holder. */
export function peopleNamedIn(spec: TemplateSpec, variables: Readonly<Record<string, unknown>>): string[] {
  const ids = [...spec.actorVariables, 'dataHolder'].map((name) => variables[name]).filter(isText);
  return [...new Set(ids)];
}

/** The rendered values; `link` is always there. */
export type NotificationContext = Record<ContextKey, string | number | null> & { link: string } & TemplateContext;

export function buildNotificationContext(input: ContextInput): NotificationContext {
  const { spec, permit, variables, links } = input;
  const egressRequestId = text(variables.egressRequestId);
  const actorId = spec.actorVariables.map((name) => variables[name]).find(isText);
  const dataHolderId = text(variables.dataHolder);
  const closeReasonId = text(variables.closeReason);
  return {
    permitId: permit.id,
    permitTitle: permit.title,
    permitStatus: inWords('permitStatus', permit.status),
    validUntil: formatDate(permit.validUntil ?? text(variables.validUntil)),
    workspace: workspaceLabel(spec.workspace, input.bpmnProcessId),
    actor: actorId ? nameOf(actorId, input.people) : spec.actorFallback,
    decision: spec.decision ?? null,
    comment: firstComment(spec.commentVariables ?? [], variables),
    link: links.link(spec.link, { permitId: permit.id, egressRequestId }),
    permitLink: links.permit(permit.id),
    reviewName: REVIEW_NAMES[input.bpmnProcessId] ?? 'review',
    days: typeof variables.days === 'number' ? variables.days : null,
    daysLeft: typeof variables.days === 'number' ? `${variables.days} ${variables.days === 1 ? 'day' : 'days'}` : null,
    egressRequestId: egressRequestId ?? null,
    dataHolder: dataHolderId ? nameOf(dataHolderId, input.people) : null,
    closeReason: closeReasonId ? inWords('closeReason', closeReasonId) : null,
  };
}

function workspaceLabel(workspace: TemplateSpec['workspace'], bpmnProcessId: string): string {
  const phase = workspace === 'by-process' ? (PROCESS_WORKSPACES[bpmnProcessId] ?? 'all') : workspace;
  if (phase === 'none') return 'none yet (workspaces are created after the permit is issued)';
  if (phase === 'all') return 'every workspace of the permit';
  return WORKSPACE_LABELS[phase];
}

function nameOf(userId: string, people: ReadonlyMap<string, Recipient>): string {
  const name = people.get(userId)?.displayName;
  return name && name !== userId ? `${name} (${userId})` : userId;
}

function firstComment(names: readonly string[], variables: Readonly<Record<string, unknown>>): string | null {
  for (const name of names) {
    const formatted = formatComment(variables[name]);
    if (formatted) return formatted;
  }
  return null;
}

/** Comments are text; findings are lists of `{ path?, message }` or strings; anything else is shown as JSON. */
export function formatComment(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value)) {
    const items = value.map(formatFinding).filter((item) => item.length > 0);
    return items.length > 0 ? items.join('; ') : null;
  }
  return JSON.stringify(value);
}

function formatFinding(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message === 'string') return typeof path === 'string' ? `${path}: ${message}` : message;
  }
  return JSON.stringify(item);
}

function formatDate(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return typeof value === 'string' ? value : null;
  return `${date.toISOString().slice(0, 10)} (UTC)`;
}

function text(value: unknown): string | undefined {
  return isText(value) ? value : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
