/**
 * The summary of a workspace's `observed_state` the API shows. The workspace workers merge their observations
 * into that column key by key (`WorkspaceObservation`, job-workers/workspace/store/workspace-store.ts): the
 * driver, the time, each object as `apiVersion/Kind/[namespace/]name` with whether it exists, the failure of the
 * last change, the last ingress scan and the proof of deletion. The summary keeps what a portal or an operator
 * needs and reads every field defensively, so a row written by an older or newer worker still summarises:
 *
 *   { observedAt, driver, objects: [{ kind, name, exists }], failure, dataDeletedAt }
 */
import type { WorkspaceObservedSummary } from './workspaces-schemas.js';

type ObjectSummary = WorkspaceObservedSummary['objects'][number];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Kind and name of an object in the workers' `describeRef` form, `apiVersion/Kind/[namespace/]name`, where the
 * apiVersion is `v1` or `group/version`. Kinds start upper-case; API groups, versions, namespaces and names never
 * do (DNS-1123), so the first upper-case part is the kind and the last part the name.
 */
export function parseObjectRef(ref: string): Pick<ObjectSummary, 'kind' | 'name'> | undefined {
  const parts = ref.split('/');
  const kindAt = parts.findIndex((part) => /^[A-Z]/.test(part));
  const after = parts.slice(kindAt + 1);
  const kind = parts[kindAt];
  const name = after.at(-1);
  if (kindAt < 1 || kindAt > 2 || after.length > 2 || !kind || !name) return undefined;
  return { kind, name };
}

function objectSummary(entry: unknown): ObjectSummary[] {
  if (!isRecord(entry) || typeof entry.ref !== 'string') return [];
  const ref = parseObjectRef(entry.ref);
  return ref ? [{ ...ref, exists: entry.exists === true }] : [];
}

/** null when the worker has observed nothing yet. Objects in a form other than `describeRef`'s are left out. */
export function summariseObserved(observed: unknown): WorkspaceObservedSummary | null {
  if (!isRecord(observed)) return null;
  const { failure, deletionCertificate } = observed;
  return {
    observedAt: text(observed.observedAt),
    driver: text(observed.driver),
    objects: Array.isArray(observed.objects) ? observed.objects.flatMap(objectSummary) : [],
    failure: isRecord(failure) ? text(failure.message) : null,
    dataDeletedAt: isRecord(deletionCertificate) ? text(deletionCertificate.deletedAt) : null,
  };
}
