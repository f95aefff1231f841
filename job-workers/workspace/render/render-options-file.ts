/**
 * The cluster specifics an operator gives in a file (`WORKSPACE_RENDER_OPTIONS`, YAML or JSON): any part of
 * `RenderOptions`, each group laid over the defaults by `renderOptions`. Every key is checked (an unknown or
 * misspelt one is refused rather than silently ignored, as a typo in a network selector would weaken isolation),
 * and the problems name their path in the file.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { DeepPartial, RenderOptions } from './render-options.js';

const labels = z.record(z.string(), z.string());
const port = z.number().int().min(1).max(65_535);
const selector = { namespaceLabels: labels, podLabels: labels };
const text = z.string().min(1);

const zoneCopy = z.strictObject({
  image: text,
  store: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('s3'),
      endpoint: z.url(),
      bucket: text,
      keyPrefix: z.string(),
      region: text,
      forcePathStyle: z.boolean(),
      credentialsSecret: text,
      egress: z.strictObject({ cidrs: z.array(z.cidrv4().or(z.cidrv6())).min(1), port }),
    }),
    z.strictObject({ kind: z.literal('filesystem'), nfs: z.strictObject({ server: text, path: text }) }),
  ]),
  platform: z.strictObject({ ...selector, url: z.url(), port, tokenSecret: text }),
  syncIntervalSeconds: z.number().int().min(0),
});

export const RenderOptionsFileSchema = z.strictObject({
  runtime: z.enum(['pod', 'kubevirt']).optional(),
  images: z.strictObject({ workspace: text, airlock: text, preprocessing: text, copier: text, vmOs: text }).partial().optional(),
  proxy: z.strictObject({ ...selector, port, url: z.url() }).partial().optional(),
  dns: z.strictObject(selector).partial().optional(),
  accessGateway: z.strictObject({ ...selector, port }).partial().optional(),
  uploadGateway: z.strictObject({ ...selector, port }).partial().optional(),
  storage: z
    .strictObject({
      storageClassName: text,
      accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadWriteMany'])).min(1),
      sizes: z.strictObject({ raw: text, prepared: text, outputs: text, workspace: text, release: text }).partial(),
      snapshotClassName: text,
      archiveSnapshotClassName: text,
    })
    .partial()
    .optional(),
  resources: z.strictObject({ cpu: text, memory: text }).partial().optional(),
  quota: z.strictObject({ cpu: text, memory: text, pods: text, storage: text, persistentVolumeClaims: text }).partial().optional(),
  archiveRetentionDays: z.number().int().min(1).optional(),
  zoneCopy: zoneCopy.optional(),
}) satisfies z.ZodType<DeepPartial<RenderOptions>>;

export class RenderOptionsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`WORKSPACE_RENDER_OPTIONS (${file}) is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the file (docs/workspaces.md, "Cluster specifics") or unset WORKSPACE_RENDER_OPTIONS for the defaults.`);
    this.name = 'RenderOptionsFileError';
  }
}

/** The options in `text` (YAML or JSON), checked; `file` names it in the problems. */
export function parseRenderOptions(text: string, file: string): DeepPartial<RenderOptions> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RenderOptionsFileError(file, [`not YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
  }
  const result = RenderOptionsFileSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new RenderOptionsFileError(file, result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(the file)'}: ${issue.message}`));
  }
  return result.data as DeepPartial<RenderOptions>;
}

export async function readRenderOptionsFile(file: string): Promise<DeepPartial<RenderOptions>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RenderOptionsFileError(file, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return parseRenderOptions(text, file);
}
