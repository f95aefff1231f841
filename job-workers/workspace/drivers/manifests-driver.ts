/**
 * The embedded default driver: writes exactly the objects it would apply, as YAML, one file per object, into
 * `<dir>/<permitId>/<kind>-<name>.yaml`, and reports them applied. Removing an object deletes its file; removing
 * the Namespace deletes the whole folder, as deleting a namespace deletes everything in it. Writing the same
 * object again leaves the file as it was (`changed: false`). Files are written to a temporary name and renamed,
 * so a reader never sees half an object.
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { parse, stringify } from 'yaml';
import { permitLabelValue } from '../render/names.js';
import {
  describeRef,
  refOf,
  WorkspaceDriverError,
  type AppliedObject,
  type DriverContext,
  type KubeObject,
  type KubeObjectRef,
  type ObservedObject,
  type RemovedObject,
  type WorkspaceDriver,
} from './workspace-driver.js';

export interface ManifestsDriverOptions {
  /** The folder the permits' folders go in (`WORKSPACE_MANIFESTS_DIR`). */
  dir: string;
  logger?: Logger;
}

/** `<kind>-<name>.yaml`, lower-case kind: `networkpolicy-default-deny.yaml`. */
export function manifestFileName(ref: KubeObjectRef): string {
  return `${ref.kind.toLowerCase()}-${ref.name}.yaml`;
}

/** The permit's folder name: the id when it is a plain name, else a readable form with a hash. */
export function permitFolderName(permitId: string): string {
  return permitLabelValue(permitId);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

export function createManifestsDriver(options: ManifestsDriverOptions): WorkspaceDriver & { folderOf(permitId: string): string } {
  const folderOf = (permitId: string) => join(options.dir, permitFolderName(permitId));

  /** Without a context (a read by refs only), the folder whose Namespace file names the ref's namespace. */
  async function folderForNamespace(namespace: string | undefined): Promise<string | undefined> {
    if (!namespace) return undefined;
    const entries = await readdir(options.dir, { withFileTypes: true }).catch((error: unknown) => (isMissing(error) ? [] : Promise.reject(error)));
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const file = join(options.dir, entry.name, manifestFileName({ apiVersion: 'v1', kind: 'Namespace', name: namespace }));
      if (await readFile(file).then(() => true, () => false)) return join(options.dir, entry.name);
    }
    return undefined;
  }

  async function readText(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  function failure(error: unknown, action: string, ref: KubeObjectRef, completed: KubeObjectRef[]): WorkspaceDriverError {
    const reason = error instanceof Error ? error.message : String(error);
    return new WorkspaceDriverError(`manifests driver could not ${action} ${describeRef(ref)}: ${reason}`, { completed, failed: ref, cause: error });
  }

  return {
    name: 'manifests',
    folderOf,

    async apply(objects: readonly KubeObject[], context: DriverContext): Promise<AppliedObject[]> {
      const folder = folderOf(context.permitId);
      const applied: AppliedObject[] = [];
      for (const object of objects) {
        const ref = refOf(object);
        try {
          await mkdir(folder, { recursive: true });
          const path = join(folder, manifestFileName(ref));
          const text = stringify(object, { lineWidth: 0 });
          const changed = (await readText(path)) !== text;
          if (changed) {
            const temporary = `${path}.${process.pid}.tmp`;
            await writeFile(temporary, text, 'utf8');
            await rename(temporary, path);
          }
          applied.push({ ...ref, changed });
        } catch (error) {
          throw failure(error, 'write', ref, applied.map((a) => ({ apiVersion: a.apiVersion, kind: a.kind, name: a.name, namespace: a.namespace })));
        }
      }
      options.logger?.debug({ folder, written: applied.filter((a) => a.changed).length, unchanged: applied.filter((a) => !a.changed).length }, 'manifests written');
      return applied;
    },

    async remove(refs: readonly KubeObjectRef[], context: DriverContext): Promise<RemovedObject[]> {
      const folder = folderOf(context.permitId);
      const removed: RemovedObject[] = [];
      for (const ref of refs) {
        try {
          if (ref.kind === 'Namespace') {
            const files: string[] = await readdir(folder).catch((error: unknown) => (isMissing(error) ? [] : Promise.reject(error)));
            const existed = files.includes(manifestFileName(ref));
            await rm(folder, { recursive: true, force: true });
            removed.push({ ...ref, existed });
            continue;
          }
          const path = join(folder, manifestFileName(ref));
          const existed = (await readText(path)) !== undefined;
          if (existed) await rm(path, { force: true });
          removed.push({ ...ref, existed });
        } catch (error) {
          throw failure(error, 'delete', ref, removed.map(({ existed: _existed, ...r }) => r));
        }
      }
      // An empty permit folder is removed with its last file.
      await rmdir(folder).catch(() => undefined);
      return removed;
    },

    async read(refs: readonly KubeObjectRef[], context?: DriverContext): Promise<ObservedObject[]> {
      const observed: ObservedObject[] = [];
      for (const ref of refs) {
        const namespace = ref.kind === 'Namespace' ? ref.name : ref.namespace;
        const folder = context ? folderOf(context.permitId) : await folderForNamespace(namespace);
        const text = folder ? await readText(join(folder, manifestFileName(ref))) : undefined;
        observed.push(text === undefined ? { ref, exists: false } : { ref, exists: true, object: parse(text) as KubeObject });
      }
      return observed;
    },
  };
}
