/**
 * The port between the workspace handlers and the infrastructure: a driver applies, removes and reads Kubernetes
 * objects. Two implementations: `manifests` (embedded default, writes YAML files, `manifests-driver.ts`) and
 * `kubernetes` (`drivers/kubernetes/`, server-side apply against an API server). `WORKSPACE_DRIVER` chooses.
 *
 * Contract every driver keeps:
 * - `apply` receives FULL desired objects (rendered by `render/`), in dependency order (namespace first). It applies
 *   them one by one in that order, as server-side apply with field manager `WORKSPACE_FIELD_MANAGER` (force is NOT
 *   set: a field owned by another manager is a conflict, reported as `WorkspaceConflictError`). Applying the same
 *   objects twice changes nothing (a job delivered twice leaves the same objects). It returns one `AppliedObject`
 *   per input object, in input order.
 * - `remove` deletes the referenced objects (in the given order); an object that is already gone counts as removed
 *   (`existed: false`), so removal is idempotent. Deleting a namespace deletes everything in it.
 * - `read` returns what exists now, one `ObservedObject` per ref, in ref order; a missing object is `exists: false`
 *   (never an error).
 * - Failures are thrown as the errors below, never as raw client errors. When an `apply` or `remove` fails midway,
 *   the error's `completed` lists the objects already applied/removed before the failing one and `failed` names the
 *   failing one, so the handler can say exactly which half of a phase is in place.
 *
 * Error mapping (the handlers turn these into job outcomes):
 * - `WorkspaceConflictError`: API 409 (conflict, field-manager conflict, already exists in another form) or 422
 *   (invalid object) → `BusinessRuleError(BPMN_ERRORS.provisioningRejected)` (`WORKSPACE_PROVISIONING_REJECTED`).
 * - `WorkspaceUnavailableError`: timeouts, connection refused/reset, 429 and 5xx → `TransientError` (retry with back-off).
 * - `WorkspaceDriverError` (base, anything else: 401/403 missing RBAC, 404 kind not served because a CRD is not
 *   installed, bad kubeconfig) → `NonRetryableError` (incident now, the message says what to fix).
 */
import type { WorkspacePhase } from '../../../shared/index.js';

/** Field manager of every server-side apply the workspace worker does. */
export const WORKSPACE_FIELD_MANAGER = 'spe-workspace-worker';

/** The metadata the renderer sets (and drivers read). */
export interface KubeObjectMetadata {
  name: string;
  /** Absent for cluster-scoped objects (Namespace). */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A full Kubernetes object as plain JSON (what `kubernetes-models` classes serialise to with `toJSON()`). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMetadata;
  [key: string]: unknown;
}

/** Names one object. `namespace` is absent for cluster-scoped kinds. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** What the driver is acting for (for logs, labels it may check, the manifests folder). */
export interface DriverContext {
  permitId: string;
  phase: WorkspacePhase;
}

export interface AppliedObject extends KubeObjectRef {
  /** Server uid (kubernetes driver); absent for the manifests driver. */
  uid?: string;
  resourceVersion?: string;
  /** `false` when the object already was exactly as desired (second delivery), when the driver can tell. */
  changed?: boolean;
}

export interface RemovedObject extends KubeObjectRef {
  /** `false` when the object was already gone. */
  existed: boolean;
}

export interface ObservedObject {
  ref: KubeObjectRef;
  exists: boolean;
  /** The object as stored (with `status` where the server has one); absent when it does not exist. */
  object?: KubeObject;
}

export interface WorkspaceDriver {
  /** `manifests` or `kubernetes` (recorded with the observed state). */
  readonly name: string;
  apply(objects: readonly KubeObject[], context: DriverContext): Promise<AppliedObject[]>;
  remove(refs: readonly KubeObjectRef[], context: DriverContext): Promise<RemovedObject[]>;
  /** `context` is optional: the kubernetes driver needs none; the manifests driver uses it to find the permit's folder. */
  read(refs: readonly KubeObjectRef[], context?: DriverContext): Promise<ObservedObject[]>;
}

export interface WorkspaceDriverErrorOptions {
  /** Objects applied (or removed) before the failing one, in order. */
  completed?: readonly KubeObjectRef[];
  /** The object the driver failed on. */
  failed?: KubeObjectRef;
  /** HTTP status of the API server's answer, when there was one. */
  statusCode?: number;
  cause?: unknown;
}

/** A driver failure retrying cannot fix (RBAC, a CRD missing, bad configuration): an incident. */
export class WorkspaceDriverError extends Error {
  readonly completed: readonly KubeObjectRef[];
  readonly failed?: KubeObjectRef;
  readonly statusCode?: number;
  constructor(message: string, options: WorkspaceDriverErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.completed = options.completed ?? [];
    this.failed = options.failed;
    this.statusCode = options.statusCode;
  }
}

/** The API server refused the object (409 conflict, 422 invalid): the diagram decides (`WORKSPACE_PROVISIONING_REJECTED`). */
export class WorkspaceConflictError extends WorkspaceDriverError {}

/** The API server is unreachable, timed out, throttled (429) or failed (5xx): retried with back-off. */
export class WorkspaceUnavailableError extends WorkspaceDriverError {}

/** `v1/Namespace/spe-permit-x`, `apps/v1/Deployment/ns/name`: how refs appear in messages and variables. */
export function describeRef(ref: KubeObjectRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace, ref.name].filter((part) => part !== undefined && part !== '').join('/');
}

export function refOf(object: KubeObject): KubeObjectRef {
  const ref: KubeObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace !== undefined) ref.namespace = object.metadata.namespace;
  return ref;
}
