/** Request and response schemas of the egress feature. */
import { z } from 'zod';
import { EGRESS_STATUSES } from '../../shared/index.js';
import { unsafePathReason } from '../../shared/safe-relative-path.js';

/** A path under /outputs, by the rule the release worker applies again (shared/safe-relative-path.ts). */
const OutputPath = z
  .string()
  .superRefine((path, ctx) => {
    const reason = unsafePathReason(path);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  })
  .describe('Path under /outputs: relative, "/" between folders, no "..", ".", empty segments, backslashes, control characters or names starting with "-"');

const EgressFileSchema = z.strictObject({
  path: OutputPath,
  description: z.string().max(2000).optional(),
  supporting: z.boolean().optional().describe('A supporting file (e.g. a table\'s contributor counts and largest contributions for the dominance check): checked and shown to reviewers, never released'),
});

export const EgressRequestSchema = z
  .object({
    id: z.string(),
    permitId: z.string(),
    status: z.enum(EGRESS_STATUSES),
    title: z.string(),
    files: z.array(z.object({ path: z.string(), description: z.string().optional(), supporting: z.boolean().optional() })),
    disclosureChecks: z.unknown(),
    requiredReviews: z
      .number()
      .int()
      .nullable()
      .describe("Independent HDAB reviews the request needs (1 or 2), as the HDAB's output release policy decided when it was last submitted (a decision table, bpmn/output-release-policy.dmn); null for a draft"),
    requiredReviewsReason: z.string().nullable().describe("The output release policy's reason for requiredReviews"),
    createdBy: z.string(),
    submittedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'EgressRequest' });

/**
 * Issue 19: the research team no longer chooses how many reviews its request gets. A client that still sends the
 * field gets a 400 saying who decides, rather than a bare "unrecognized key".
 */
export const REQUIRED_REVIEWS_NOT_CHOSEN =
  "requiredReviews is not the research team's to choose: the HDAB's output release policy (a decision table) decides how many independent reviews a request needs from its files and what the disclosure checks find, when it is submitted. Remove the field.";

export const CreateEgressBody = z
  .strictObject({
    title: z.string().trim().min(3, { error: 'must be at least 3 characters' }).max(200),
    files: z
      .array(EgressFileSchema)
      .min(1, { error: 'list at least one file' })
      .max(500)
      .refine((files) => new Set(files.map((f) => f.path)).size === files.length, { error: 'name each file once' }),
    disclosureChecks: z
      .array(z.strictObject({ path: OutputPath, checks: z.array(z.string().min(1)).max(50), note: z.string().max(2000).optional() }))
      .max(500)
      .optional()
      .describe('Disclosure checks the team applied, per file (machine-readable)'),
  }, { error: (issue) => (issue.code === 'unrecognized_keys' && issue.keys.includes('requiredReviews') ? REQUIRED_REVIEWS_NOT_CHOSEN : undefined) })
  .meta({ id: 'CreateEgressRequest' });

export const EgressParams = z.object({ id: z.uuid({ error: 'must be a permit id (uuid)' }), rid: z.uuid({ error: 'must be an egress request id (uuid)' }) });

export const OutputPathQuery = z.object({ path: OutputPath });

const DataDeletionSchema = z
  .object({ deletedAt: z.string(), proofOfDeletion: z.string().describe('The proof of deletion\'s seal, sha256:<hex>'), auditSeq: z.number().int().describe('The audit entry holding the proof of deletion') })
  .meta({ id: 'PermitDataDeletion' });

const CheckResultSchema = z.record(z.string(), z.unknown()).describe('The disclosure checks\' result on the file (ACRO-shaped: status, type, properties, sdc.summary, sdc.cells, summary, findings); docs/airlock.md');

export const OutputFileSchema = z
  .object({ path: z.string(), sha256: z.string(), sizeBytes: z.number().int(), mediaType: z.string(), putBy: z.string(), putAt: z.string() })
  .meta({ id: 'OutputFile' });

export const RequestFileSchema = z
  .object({
    path: z.string(),
    description: z.string().optional(),
    supporting: z.boolean(),
    sha256: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    mediaType: z.string(),
    unchanged: z.boolean().nullable().describe('Whether outputs still holds the submitted bytes (null before submission)'),
    inOutputs: z.boolean().describe('Whether outputs holds a file at this path now (false once removed, or after the permit\'s data was deleted)'),
    check: CheckResultSchema.nullable(),
    deletedAtClosure: DataDeletionSchema.nullable().describe('Set when the file is gone because the permit\'s data was deleted at closure'),
  })
  .meta({ id: 'EgressRequestFile' });

export const FilePreviewSchema = z
  .object({
    kind: z.enum(['table', 'text', 'image', 'none']),
    path: z.string(),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    mediaType: z.string(),
    header: z.array(z.string()).optional(),
    rows: z.array(z.array(z.string())).optional(),
    text: z.string().optional(),
    truncated: z.boolean().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'FilePreview' });

const ReleasedFileSchema = z.object({ path: z.string(), sha256: z.string(), sizeBytes: z.number().int(), mediaType: z.string() });
export const ReleaseSchema = z
  .object({
    egressRequestId: z.string(),
    title: z.string(),
    releasedAt: z.string(),
    files: z.array(ReleasedFileSchema),
    metadata: z.array(ReleasedFileSchema),
    deletedAtClosure: DataDeletionSchema.nullable().describe('Set when the released files were deleted with the permit\'s data at closure: downloads answer 410'),
  })
  .meta({ id: 'Release' });
