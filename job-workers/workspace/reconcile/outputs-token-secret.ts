/**
 * The outputs-sync Job's token (airlock/outputs-token/), kept in step with the Job: while the rendered objects hold
 * `outputs-sync`, the Secret `zoneCopy.platform.tokenSecret` in the permit's namespace holds a live token of this
 * permit (read back; a missing, revoked, replaced or nearly expired one is replaced by a newly issued token, which
 * revokes the permit's earlier ones); once the Job is no longer desired (suspend, end of analysis, teardown,
 * deletion at closure) every token of the permit is revoked and the Secret removed. Idempotent: a repeated job finds
 * the Secret current and changes nothing.
 *
 * The Secret is applied beside the rendered objects, never among them: rendered objects are written as YAML by the
 * manifests driver and listed in process variables and observations, and must never hold a credential. For the same
 * reason the manifests driver gets no Secret (a token in its folder would be a credential on disk): zone copies need
 * the kubernetes driver.
 */
import type { Logger } from 'pino';
import type { OutputsTokenStore } from '../../../airlock/outputs-token/outputs-token-store.js';
import type { DriverContext, KubeObject, KubeObjectRef, WorkspaceDriver } from '../drivers/workspace-driver.js';
import { namespaceName } from '../render/names.js';
import type { RenderOptions } from '../render/render-options.js';
import { objectMeta } from '../render/render-storage.js';
import { ZONE_COPY_NAMES } from '../render/render-zone-copy.js';

export type OutputsTokenIssuer = Pick<OutputsTokenStore, 'issue' | 'isCurrent' | 'revokeAll'>;

/** The key of the token in the Secret (what the Job's `secretKeyRef` names). */
export const OUTPUTS_TOKEN_SECRET_KEY = 'token';

export function outputsTokenSecretRef(permitId: string, secretName: string): KubeObjectRef {
  return { apiVersion: 'v1', kind: 'Secret', name: secretName, namespace: namespaceName(permitId) };
}

export function renderOutputsTokenSecret(permitId: string, secretName: string, token: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(permitId, secretName, 'zone-copy'),
    type: 'Opaque',
    immutable: false,
    data: { [OUTPUTS_TOKEN_SECRET_KEY]: Buffer.from(token).toString('base64') },
  };
}

function tokenIn(object: KubeObject | undefined): string | undefined {
  const value = (object?.data as Record<string, unknown> | undefined)?.[OUTPUTS_TOKEN_SECRET_KEY];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString() : undefined;
}

export interface OutputsTokenSync {
  driver: WorkspaceDriver;
  render: RenderOptions;
  tokens: OutputsTokenIssuer;
}

/** What happened to the token: for logs and tests. */
export type OutputsTokenOutcome = 'kept' | 'issued' | 'revoked' | 'none';

export async function syncOutputsTokenSecret(
  sync: OutputsTokenSync,
  input: { permitId: string; objects: readonly KubeObject[]; actor: string; context: DriverContext },
  logger: Logger,
): Promise<OutputsTokenOutcome> {
  const { permitId, actor, context } = input;
  const zoneCopy = sync.render.zoneCopy;
  const kubernetes = sync.driver.name !== 'manifests';
  const wanted = zoneCopy !== undefined && kubernetes && input.objects.some((o) => o.kind === 'Job' && o.metadata.name === ZONE_COPY_NAMES.outputsSync);
  if (zoneCopy && !kubernetes) logger.warn({ permitId }, 'zone copies with the manifests driver: no outputs-sync token is issued (it would be written to disk); use the kubernetes driver');
  if (wanted) {
    const ref = outputsTokenSecretRef(permitId, zoneCopy.platform.tokenSecret);
    const [seen] = await sync.driver.read([ref], context);
    const current = tokenIn(seen?.object);
    if (current !== undefined && (await sync.tokens.isCurrent(permitId, current))) return 'kept';
    const issued = await sync.tokens.issue({ permitId, issuedBy: actor });
    await sync.driver.apply([renderOutputsTokenSecret(permitId, zoneCopy.platform.tokenSecret, issued.token)], context);
    logger.info({ permitId, tokenId: issued.tokenId, expiresAt: issued.expiresAt, secret: ref.name }, 'outputs-sync token issued into its Secret');
    return 'issued';
  }
  const revoked = await sync.tokens.revokeAll({ permitId, reason: 'the outputs sync no longer runs', revokedBy: actor });
  if (zoneCopy && kubernetes) await sync.driver.remove([outputsTokenSecretRef(permitId, zoneCopy.platform.tokenSecret)], context);
  if (revoked > 0) logger.info({ permitId, revoked }, 'outputs-sync token revoked and its Secret removed');
  return revoked > 0 ? 'revoked' : 'none';
}
