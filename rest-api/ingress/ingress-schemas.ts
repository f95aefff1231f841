/** Request schemas of the ingress feature. */
import { z } from 'zod';
import { unsafePathReason } from '../../shared/safe-relative-path.js';
import { UserId } from '../permits/permits-schemas.js';

export const InitiateIngressBody = z
  .strictObject({
    dataHolders: z
      .array(UserId)
      .min(1, { error: 'name at least one data holder' })
      .max(50, { error: 'at most 50 data holders' })
      .refine((ids) => new Set(ids).size === ids.length, { error: 'must not name a data holder twice' }),
  })
  .meta({ id: 'InitiateIngress' });

export const UploadManifestSchema = z
  .strictObject({
    files: z
      .array(
        z.strictObject({
          // The rule the manifest check applies again in the workspace (shared/safe-relative-path.ts).
          path: z.string().superRefine((path, ctx) => {
            const reason = unsafePathReason(path);
            if (reason) ctx.addIssue({ code: 'custom', message: reason });
          }),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a lower-case hex SHA-256 (64 characters)' }),
          sizeBytes: z.number().int().min(0),
        }),
      )
      .min(1, { error: 'list at least one file' })
      .max(10_000),
    note: z.string().max(2000).optional(),
  })
  .meta({ id: 'UploadManifest' });

export const ConfirmUploadBody = z.strictObject({ manifest: UploadManifestSchema }).meta({ id: 'ConfirmUpload' });
