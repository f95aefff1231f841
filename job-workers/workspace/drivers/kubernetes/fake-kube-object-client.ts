/**
 * In-memory `KubeObjectClient` for unit tests: stores applied objects, bumps `resourceVersion` only when an apply
 * changes something, and lets a test make any call throw (`failWith`) to exercise the driver's error paths.
 */
import { ApiException } from '@kubernetes/client-node';
import type { KubeObject, KubeObjectRef } from '../workspace-driver.js';
import type { KubeObjectClient } from './kube-object-client.js';

type Operation = 'isServed' | 'get' | 'apply' | 'delete';

export interface FakeKubeObjectClient extends KubeObjectClient {
  /** Stored objects by `kind/namespace/name`. */
  readonly objects: Map<string, KubeObject>;
  /** Kinds (`apiVersion/kind`) the fake does not serve. */
  readonly unserved: Set<string>;
  /** Make the next matching call throw `error` (once). */
  failWith(operation: Operation, name: string, error: unknown): void;
  readonly calls: { operation: Operation; name: string }[];
}

export function createFakeKubeObjectClient(): FakeKubeObjectClient {
  const objects = new Map<string, KubeObject>();
  const unserved = new Set<string>();
  const failures: { operation: Operation; name: string; error: unknown }[] = [];
  const calls: { operation: Operation; name: string }[] = [];
  let version = 100;

  const key = (ref: KubeObjectRef) => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
  function enter(operation: Operation, name: string): void {
    calls.push({ operation, name });
    const index = failures.findIndex((f) => f.operation === operation && f.name === name);
    if (index >= 0) {
      const [failure] = failures.splice(index, 1);
      throw failure?.error;
    }
  }

  return {
    objects,
    unserved,
    calls,
    failWith(operation, name, error) {
      failures.push({ operation, name, error });
    },
    async isServed(apiVersion, kind) {
      enter('isServed', `${apiVersion}/${kind}`);
      return !unserved.has(`${apiVersion}/${kind}`);
    },
    async get(ref) {
      enter('get', ref.name);
      const stored = objects.get(key(ref));
      return stored === undefined ? undefined : structuredClone(stored);
    },
    async apply(object, fieldManager) {
      enter('apply', object.metadata.name);
      const ref: KubeObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
      const previous = objects.get(key(ref));
      const { resourceVersion: _rv, uid: _uid, managedBy: _m, ...previousMeta } = (previous?.metadata ?? {}) as Record<string, unknown>;
      const same = previous !== undefined && JSON.stringify({ ...previous, metadata: previousMeta }) === JSON.stringify(object);
      if (same) return structuredClone(previous);
      version += 1;
      const stored: KubeObject = {
        ...structuredClone(object),
        metadata: {
          ...structuredClone(object.metadata),
          uid: (previous?.metadata.uid as string | undefined) ?? `uid-${object.metadata.name}`,
          resourceVersion: String(version),
          managedBy: fieldManager,
        },
      };
      objects.set(key(ref), stored);
      return structuredClone(stored);
    },
    async delete(ref) {
      enter('delete', ref.name);
      return objects.delete(key(ref));
    },
  };
}

/** An `ApiException` as the client throws it for a failed request, with a Kubernetes `Status` body. */
export function apiError(code: number, message: string, extra: Record<string, unknown> = {}): ApiException<string> {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code, ...extra });
  return new ApiException(code, 'Unsuccessful HTTP Request', body, {});
}
