/**
 * A `WorkspaceDriver` in memory for unit tests: objects keyed by ref, every call recorded, and faults injected per
 * object (`failNext`) to show how handlers report a phase applied halfway.
 */
import { refKey } from '../render/render-workspace.js';
import {
  refOf,
  type AppliedObject,
  type KubeObject,
  type KubeObjectRef,
  type ObservedObject,
  type RemovedObject,
  type WorkspaceDriver,
  type WorkspaceDriverError,
} from '../drivers/workspace-driver.js';

export interface InMemoryDriver extends WorkspaceDriver {
  objects: Map<string, KubeObject>;
  calls: { op: 'apply' | 'remove' | 'read'; refs: string[] }[];
  /** The next apply or remove of an object matching `match` throws `error` (built with the objects done so far). */
  failNext(match: (ref: KubeObjectRef) => boolean, error: (completed: KubeObjectRef[], failed: KubeObjectRef) => WorkspaceDriverError): void;
  /** The objects now, as `Kind/name`, sorted. */
  list(): string[];
}

export function createInMemoryDriver(): InMemoryDriver {
  const objects = new Map<string, KubeObject>();
  const calls: InMemoryDriver['calls'] = [];
  let fault: { match: (ref: KubeObjectRef) => boolean; error: (completed: KubeObjectRef[], failed: KubeObjectRef) => WorkspaceDriverError } | undefined;

  function maybeFail(ref: KubeObjectRef, completed: KubeObjectRef[]) {
    if (fault?.match(ref)) {
      const error = fault.error(completed, ref);
      fault = undefined;
      throw error;
    }
  }

  return {
    name: 'in-memory',
    objects,
    calls,
    failNext(match, error) {
      fault = { match, error };
    },
    list: () => [...objects.values()].map((o) => `${o.kind}/${o.metadata.name}`).sort(),
    async apply(list: readonly KubeObject[]): Promise<AppliedObject[]> {
      calls.push({ op: 'apply', refs: list.map((o) => refKey(refOf(o))) });
      const applied: AppliedObject[] = [];
      for (const object of list) {
        const ref = refOf(object);
        maybeFail(ref, applied);
        const before = objects.get(refKey(ref));
        objects.set(refKey(ref), structuredClone(object));
        applied.push({ ...ref, changed: JSON.stringify(before) !== JSON.stringify(object) });
      }
      return applied;
    },
    async remove(refs: readonly KubeObjectRef[]): Promise<RemovedObject[]> {
      calls.push({ op: 'remove', refs: refs.map(refKey) });
      const removed: RemovedObject[] = [];
      for (const ref of refs) {
        maybeFail(ref, removed);
        if (ref.kind === 'Namespace') {
          for (const [key, object] of objects) if (object.metadata.namespace === ref.name) objects.delete(key);
        }
        removed.push({ ...ref, existed: objects.delete(refKey(ref)) });
      }
      return removed;
    },
    async read(refs: readonly KubeObjectRef[]): Promise<ObservedObject[]> {
      calls.push({ op: 'read', refs: refs.map(refKey) });
      return refs.map((ref) => {
        const object = objects.get(refKey(ref));
        return object ? { ref, exists: true, object: structuredClone(object) } : { ref, exists: false };
      });
    },
  };
}
