/**
 * The few calls the kubernetes driver makes, as a port (`KubeObjectClient`) so the driver's bookkeeping is unit
 * tested with a fake, and one implementation on `@kubernetes/client-node`'s generic `KubernetesObjectApi`
 * (`createKubeObjectClient`). The implementation throws the client's raw errors (`ApiException`, node-fetch's
 * `FetchError`/`AbortError`); `classifyKubeError` turns them into the driver's errors.
 *
 * Every request carries a timeout (an `AbortSignal` set by a request middleware): a hung API server becomes an
 * `AbortError`, i.e. a retryable failure, instead of a job that never ends.
 */
import {
  ApiException,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
  PatchStrategy,
} from '@kubernetes/client-node';
import type { KubeObject, KubeObjectRef } from '../workspace-driver.js';

export interface KubeObjectClient {
  /** Whether the API server serves `kind` in `apiVersion` (false: the CRD or API group is not installed). */
  isServed(apiVersion: string, kind: string): Promise<boolean>;
  /** The object as stored, or `undefined` when it does not exist. */
  get(ref: KubeObjectRef): Promise<KubeObject | undefined>;
  /** Server-side apply of the full object with `fieldManager`, never forced; returns the object as stored. */
  apply(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  /** Deletes the object (background propagation); `false` when it was already gone. */
  delete(ref: KubeObjectRef): Promise<boolean>;
}

export interface KubeObjectClientOptions {
  /** Per-request timeout in milliseconds (default 30 000). */
  requestTimeoutMs?: number;
}

/** Exposes the API's own (cached) discovery lookup, so the driver can tell "kind not served" from "object missing". */
class DiscoveringObjectApi extends KubernetesObjectApi {
  async isServed(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (error) {
      // The whole group/version is unknown to the server.
      if (error instanceof ApiException && error.code === 404) return false;
      throw error;
    }
  }
}

export function createKubeObjectClient(kubeConfig: KubeConfig, options: KubeObjectClientOptions = {}): KubeObjectClient {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster (check current-context)');
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(timeoutMs));
          return Promise.resolve(context);
        },
        post: (context) => Promise.resolve(context),
      },
    ],
  });
  const api = new DiscoveringObjectApi(configuration);

  return {
    isServed: (apiVersion, kind) => api.isServed(apiVersion, kind),

    async get(ref) {
      try {
        return toPlainObject(await api.read(header(ref)));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },

    async apply(object, fieldManager) {
      // `force: false` is sent explicitly: a field owned by another manager must come back as 409, not be taken over.
      const stored = await api.patch(
        structuredClone(object) as KubernetesObject,
        undefined,
        undefined,
        fieldManager,
        false,
        PatchStrategy.ServerSideApply,
      );
      return toPlainObject(stored);
    },

    async delete(ref) {
      try {
        await api.delete(header(ref), undefined, undefined, undefined, undefined, 'Background');
        return true;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return false;
        throw error;
      }
    },
  };
}

function header(ref: KubeObjectRef): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  const metadata: { name: string; namespace?: string } = { name: ref.name };
  if (ref.namespace !== undefined) metadata.namespace = ref.namespace;
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata };
}

/**
 * The client deserialises known kinds into its model classes (dates as `Date`); the driver hands out plain JSON,
 * as the API server sent it. The models use the JSON field names for every kind the workspace renders.
 */
function toPlainObject(value: unknown): KubeObject {
  return JSON.parse(JSON.stringify(value)) as KubeObject;
}
