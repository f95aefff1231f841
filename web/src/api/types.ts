/** The shapes the pages read (a subset of /api/openapi.json). */
export type Role = 'researcher' | 'hdab-reviewer' | 'data-holder' | 'admin';
export type TeamRole = 'RESEARCH_TEAM' | 'HDAB_TEAM' | 'DATA_HOLDER';

export interface Permit {
  id: string;
  title: string;
  purpose: string;
  status: string;
  validFrom: string | null;
  validUntil: string | null;
  deletionGracePeriod: string | null;
  processInstanceKey: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface PermitView extends Permit {
  myTeamRoles: TeamRole[];
  allowedActions: string[];
}

export interface Member {
  permitId: string;
  userId: string;
  teamRole: TeamRole;
  addedBy: string;
  addedAt: string;
}

export interface InboxTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  formId: string | null;
  candidateGroups: string[];
  assignee: string | null;
  dueDate: string | null;
  followUpDate?: string | null;
  creationDate: string | null;
  processInstanceKey: string;
  processDefinitionId: string;
  permit: { id: string; title: string; status: string };
}

export interface ReviewDecision {
  id: string;
  stage: string;
  decision: string;
  comment: string | null;
  reviewer: string;
  submittedBy: string | null;
  egressRequestId: string | null;
  decidedAt: string;
}

export interface EgressRequest {
  id: string;
  permitId: string;
  status: string;
  title: string;
  files: Array<{ path: string; description?: string; supporting?: boolean }>;
  /** Independent HDAB reviews, as the HDAB's output release policy decided at the last submission; null for a draft. */
  requiredReviews: number | null;
  /** The policy's reason for requiredReviews. */
  requiredReviewsReason: string | null;
  createdBy: string;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Workspace {
  phase: string;
  status: string;
  runtime: string;
  running: boolean;
  suspended: boolean;
  network: string;
  networkLocked: boolean;
  mounts: Array<{ volume: string; readOnly: boolean }>;
  members: string[];
  observed: { observedAt: string | null; failure: string | null; dataDeletedAt: string | null } | null;
  updatedAt: string;
}

export interface AuditEntry {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  permitId: string | null;
  details: Record<string, unknown>;
}

export interface Notification {
  id: string;
  permitId: string | null;
  template: string;
  title: string;
  body: string;
  link: string | null;
  critical: boolean;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  items: Notification[];
  total: number;
  unreadCount: number;
}

export interface Incident {
  incidentKey: string;
  permitId: string | null;
  permitTitle: string | null;
  processDefinitionId: string;
  processInstanceKey: string;
  elementId: string;
  elementName: string | null;
  errorType: string;
  errorMessage: string;
  whatToDo: string;
  creationTime: string | null;
  jobKey: string | null;
}

export interface ProcessView {
  processInstanceKey: string;
  processDefinitionId: string;
  xml: string;
  activeElementIds: string[];
  completedElementIds: string[];
  incidentElementIds: string[];
  /** The sequence flows the instance took. */
  takenSequenceFlowIds: string[];
  /** Per element reached: instances active (without incident), with an incident, completed, canceled. */
  elementStatistics: Array<{ elementId: string; active: number; incidents: number; completed: number; canceled: number }>;
  calledProcesses: Array<{ elementId: string; processInstanceKey: string; processDefinitionId: string; state: string }>;
}

/** A file in the workspace's outputs zone (airlock store). */
export interface OutputFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  putBy: string;
  putAt: string;
}

/** The disclosure checks' result on one file (ACRO-shaped; docs/airlock.md). */
export interface DisclosureCheck {
  status: 'pass' | 'fail' | 'review';
  type: 'table' | 'custom';
  summary: string;
  sdc: { summary: Record<string, number | boolean>; cells: Record<string, Array<[number, number]>> };
  findings: Array<{ rule: string; row: number; column: number; rowLabel: string; columnLabel: string; value: string; message: string }>;
  findingsOmitted: number;
}

export interface RequestFile {
  path: string;
  description?: string;
  supporting: boolean;
  sha256: string | null;
  sizeBytes: number | null;
  mediaType: string;
  unchanged: boolean | null;
  /** Whether outputs holds a file at this path now (false once removed, or after the permit's data was deleted). */
  inOutputs: boolean;
  check: DisclosureCheck | null;
  /** Set when the file is gone because the permit's data was deleted at closure. */
  deletedAtClosure: PermitDataDeletion | null;
}

/** The deletion of a permit's data at closure: when, the proof of deletion's seal, the audit entry that holds it. */
export interface PermitDataDeletion {
  deletedAt: string;
  proofOfDeletion: string;
  auditSeq: number;
}

export interface FilePreview {
  kind: 'table' | 'text' | 'image' | 'none';
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  header?: string[];
  rows?: string[][];
  text?: string;
  truncated?: boolean;
  reason?: string;
}

export interface Release {
  egressRequestId: string;
  title: string;
  releasedAt: string;
  files: Array<{ path: string; sha256: string; sizeBytes: number; mediaType: string }>;
  metadata: Array<{ path: string; sha256: string; sizeBytes: number; mediaType: string }>;
  /** Set when the released files were deleted with the permit's data at closure (downloads answer 410 Gone). */
  deletedAtClosure: PermitDataDeletion | null;
}
