/**
 * The `kubernetes` workspace driver: server-side apply of the full desired objects against an API server, with
 * field manager `WORKSPACE_FIELD_MANAGER` and without force, so that
 * - a second delivery of the same job finds every object already as desired and changes nothing (`changed: false`,
 *   same resourceVersion), and
 * - a field another manager owns (an operator's `kubectl apply`, another controller) is a 409 conflict, reported as
 *   `WorkspaceConflictError` instead of being silently taken over.
 * Objects are applied and removed one by one in the given order (namespace first on apply); a failure names the
 * object it failed on and the ones already done (`completed`), see `workspace-driver.ts` for the contract.
 */
import type { Logger } from 'pino';
import {
  WORKSPACE_FIELD_MANAGER,
  WorkspaceDriverError,
  describeRef,
  refOf,
  type AppliedObject,
  type DriverContext,
  type KubeObject,
  type KubeObjectRef,
  type ObservedObject,
  type RemovedObject,
  type WorkspaceDriver,
} from '../workspace-driver.js';
import { classifyKubeError } from './classify-kube-error.js';
import type { KubeObjectClient } from './kube-object-client.js';

export const KUBERNETES_DRIVER_NAME = 'kubernetes';

export interface KubernetesDriverDeps {
  client: KubeObjectClient;
  logger?: Logger;
  /** Field manager of the applies (default `WORKSPACE_FIELD_MANAGER`; tests use another to provoke conflicts). */
  fieldManager?: string;
}

export function createKubernetesDriver(deps: KubernetesDriverDeps): WorkspaceDriver {
  const { client, logger } = deps;
  const fieldManager = deps.fieldManager ?? WORKSPACE_FIELD_MANAGER;

  async function requireServed(ref: KubeObjectRef, action: string, completed: readonly KubeObjectRef[]): Promise<void> {
    if (await client.isServed(ref.apiVersion, ref.kind)) return;
    throw new WorkspaceDriverError(
      `${action} ${describeRef(ref)}: the API server does not serve ${ref.kind} in ${ref.apiVersion}; ` +
        'install its CustomResourceDefinition (KubeVirt, CSI snapshot controller) or choose another runtime',
      { completed, failed: ref },
    );
  }

  return {
    name: KUBERNETES_DRIVER_NAME,

    async apply(objects: readonly KubeObject[], context: DriverContext): Promise<AppliedObject[]> {
      const applied: AppliedObject[] = [];
      for (const object of objects) {
        const ref = refOf(object);
        try {
          await requireServed(ref, 'apply', applied.map(refOnly));
          const before = await client.get(ref);
          const stored = await client.apply(object, fieldManager);
          const resourceVersion = stored.metadata.resourceVersion as string | undefined;
          const changed = before === undefined || (before.metadata.resourceVersion !== resourceVersion && !sameContent(before, stored));
          const result: AppliedObject = { ...ref, changed };
          const uid = stored.metadata.uid as string | undefined;
          if (uid !== undefined) result.uid = uid;
          if (resourceVersion !== undefined) result.resourceVersion = resourceVersion;
          applied.push(result);
          logger?.debug({ permitId: context.permitId, phase: context.phase, object: describeRef(ref), changed }, 'applied');
        } catch (error) {
          const failure = classifyKubeError(error, { action: 'apply', failed: ref, completed: applied.map(refOnly) });
          logger?.warn(
            { permitId: context.permitId, phase: context.phase, object: describeRef(ref), applied: applied.length, statusCode: failure.statusCode, err: failure },
            'apply failed',
          );
          throw failure;
        }
      }
      logger?.info(
        { permitId: context.permitId, phase: context.phase, objects: applied.length, changed: applied.filter((a) => a.changed).length },
        'objects applied',
      );
      return applied;
    },

    async remove(refs: readonly KubeObjectRef[], context: DriverContext): Promise<RemovedObject[]> {
      const removed: RemovedObject[] = [];
      for (const ref of refs) {
        try {
          // A kind the server does not serve cannot have objects: nothing to delete.
          const existed = (await client.isServed(ref.apiVersion, ref.kind)) ? await client.delete(ref) : false;
          removed.push({ ...refOnly(ref), existed });
          logger?.debug({ permitId: context.permitId, phase: context.phase, object: describeRef(ref), existed }, 'removed');
        } catch (error) {
          const failure = classifyKubeError(error, { action: 'remove', failed: ref, completed: removed.map(refOnly) });
          logger?.warn({ permitId: context.permitId, phase: context.phase, object: describeRef(ref), statusCode: failure.statusCode, err: failure }, 'remove failed');
          throw failure;
        }
      }
      logger?.info({ permitId: context.permitId, phase: context.phase, objects: removed.length, existed: removed.filter((r) => r.existed).length }, 'objects removed');
      return removed;
    },

    async read(refs: readonly KubeObjectRef[]): Promise<ObservedObject[]> {
      const observed: ObservedObject[] = [];
      for (const ref of refs) {
        try {
          const object = (await client.isServed(ref.apiVersion, ref.kind)) ? await client.get(ref) : undefined;
          observed.push(object === undefined ? { ref: refOnly(ref), exists: false } : { ref: refOnly(ref), exists: true, object });
        } catch (error) {
          throw classifyKubeError(error, { action: 'read', failed: ref });
        }
      }
      return observed;
    },
  };
}

/**
 * Equal but for the bookkeeping a no-op apply may still write: kube-apiserver 1.20 refreshes the field manager's
 * timestamp of Pods and PersistentVolumeClaims on every apply in a new second (new resourceVersion, nothing else).
 */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (object: KubeObject) => {
    const { resourceVersion: _version, managedFields, ...metadata } = object.metadata;
    const fields = Array.isArray(managedFields) ? managedFields.map((entry) => ({ ...(entry as object), time: undefined })) : managedFields;
    return JSON.stringify({ ...object, metadata: { ...metadata, managedFields: fields } });
  };
  return strip(a) === strip(b);
}

/** Just the ref fields (drops `changed`, `uid`, … of an AppliedObject). */
function refOnly(ref: KubeObjectRef): KubeObjectRef {
  const copy: KubeObjectRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
  if (ref.namespace !== undefined) copy.namespace = ref.namespace;
  return copy;
}
