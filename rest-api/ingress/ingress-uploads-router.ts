/**
 * HTTP edge of the ingress uploads: the tus 1.0.0 core protocol (https://tus.io/protocols/resumable-upload) with
 * the creation and termination extensions, under `/api/permits/{id}/ingress/files`, so tus-js-client (and any tus
 * client) uploads a delivery's files resumably. The file's path in the delivery comes in `Upload-Metadata` as
 * `relativePath` (or `filename`). Every refusal is problem+json; every answer carries `Tus-Resumable: 1.0.0`.
 *
 *   POST   /permits/{id}/ingress/files          Upload-Length, Upload-Metadata → 201 Location
 *   HEAD   /permits/{id}/ingress/files/{upload} → Upload-Offset, Upload-Length (GET: the same as JSON)
 *   PATCH  /permits/{id}/ingress/files/{upload} Upload-Offset, application/offset+octet-stream → 204 Upload-Offset
 *   DELETE /permits/{id}/ingress/files/{upload} → 204
 *   GET    /permits/{id}/ingress/files          the files in quarantine (yours, or every delivery's for the HDAB)
 *   DELETE /permits/{id}/ingress/files?path=    a file of your delivery out of quarantine
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { HttpProblemError } from '../platform/problem.js';
import { UserId } from '../permits/permits-schemas.js';
import { FileTooLargeError, UploadTooLongError, type IngressUploadsService, type UploadState } from './ingress-uploads-service.js';

const TAGS = ['Ingress'];
const TUS_VERSION = '1.0.0';
const Params = z.object({ id: z.uuid(), upload: z.uuid({ error: 'must be the upload id from the Location of its creation' }) });
const PermitParams = z.object({ id: z.uuid() });

const QuarantineFile = z
  .object({
    path: z.string(),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    deliveryId: UserId.optional(),
    putBy: z.string(),
    putAt: z.string(),
  })
  .meta({ id: 'QuarantineFile' });

const UploadStateSchema = z
  .object({ id: z.string(), path: z.string(), length: z.number().int(), offset: z.number().int(), expiresAt: z.string(), complete: z.boolean(), sha256: z.string().nullable() })
  .meta({ id: 'IngressUpload' });

function tusHeaders(res: Response): void {
  res.setHeader('Tus-Resumable', TUS_VERSION);
}

/** Refuses a request that does not speak tus 1.0.0 (412 with the versions we speak). */
function requireTus(req: Request): void {
  const version = req.get('tus-resumable');
  if (version !== TUS_VERSION) {
    throw new HttpProblemError('precondition-failed', `Send Tus-Resumable: ${TUS_VERSION} (got ${version ?? 'none'}); this server speaks tus ${TUS_VERSION} only.`, {}, { 'Tus-Version': TUS_VERSION });
  }
}

function wholeNumber(req: Request, header: string): number {
  const value = req.get(header);
  if (value === undefined || !/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new HttpProblemError('validation', `Send ${header} as a whole number of bytes (got ${value === undefined ? 'none' : JSON.stringify(value.slice(0, 40))}).`, {
      errors: [{ path: `header.${header.toLowerCase()}`, message: 'must be a non-negative whole number' }],
    });
  }
  return Number(value);
}

/** `Upload-Metadata`: comma-separated `key base64value` pairs. */
export function parseUploadMetadata(header: string | undefined): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (!header) return metadata;
  for (const pair of header.split(',')) {
    const [key, value, extra] = pair.trim().split(' ');
    if (!key || extra !== undefined || (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value))) {
      throw new HttpProblemError('validation', 'Upload-Metadata must be comma-separated "key base64value" pairs, e.g. relativePath Y29ob3J0LmNzdg==.', {
        errors: [{ path: 'header.upload-metadata', message: 'malformed' }],
      });
    }
    metadata[key] = value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
  }
  return metadata;
}

function answerState(res: Response, state: UploadState) {
  res.setHeader('Upload-Offset', String(state.offset));
  res.setHeader('Upload-Length', String(state.upload.length));
  if (!state.upload.completedAt && !state.object) res.setHeader('Upload-Expires', new Date(state.upload.expiresAt).toUTCString());
  return {
    id: state.upload.id,
    path: state.upload.path,
    length: state.upload.length,
    offset: state.offset,
    expiresAt: state.upload.expiresAt,
    complete: Boolean(state.object ?? state.upload.completedAt),
    sha256: state.object?.sha256 ?? state.upload.sha256,
  };
}

export function createIngressUploadsRouter(deps: { service: IngressUploadsService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'ingress-uploads',
    routes: [
      defineRoute({
        method: 'post',
        path: '/permits/{id}/ingress/files',
        summary: 'Start a resumable upload of one file of your delivery (tus creation; data holder)',
        description:
          'tus 1.0.0 creation: `Tus-Resumable: 1.0.0`, `Upload-Length` (bytes, at most AIRLOCK_MAX_FILE_BYTES) and `Upload-Metadata` with `relativePath` (or `filename`), base64. The answer\'s `Location` is the upload; send the bytes there with PATCH. A complete file is in quarantine under your delivery; confirm the delivery with its manifest (POST /permits/{id}/ingress/uploads).',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitParams },
        responses: { 201: { description: 'Upload created', body: UploadStateSchema, headers: ['Location'] } },
        problems: [403, 404, 409, 412, 413],
        handler: async ({ params }, { req, res, caller }) => {
          tusHeaders(res);
          requireTus(req);
          if (req.get('upload-defer-length') !== undefined) throw new HttpProblemError('validation', 'Upload-Defer-Length is not supported; send Upload-Length.');
          const length = wholeNumber(req, 'Upload-Length');
          const metadata = parseUploadMetadata(req.get('upload-metadata'));
          if (Number(req.get('content-length') ?? '0') > 0) throw new HttpProblemError('validation', 'Send the bytes with PATCH to the upload\'s Location, not with the creation request.');
          const state = await service.create(caller, params.id, { path: metadata.relativePath ?? metadata.filename, length }).catch((error: unknown) => {
            if (error instanceof FileTooLargeError) throw new HttpProblemError('payload-too-large', error.message, { maxFileBytes: error.maxFileBytes }, { 'Tus-Max-Size': String(error.maxFileBytes) });
            throw error;
          });
          const base = req.originalUrl.split('?')[0]!.replace(/\/+$/, '');
          res.setHeader('Location', `${base}/${state.upload.id}`);
          res.status(201);
          return answerState(res, state);
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/ingress/files/{upload}',
        summary: 'How far an upload got (tus HEAD; GET answers the same as JSON)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: Params },
        responses: { 200: { description: 'The upload; Upload-Offset and Upload-Length headers', body: UploadStateSchema } },
        problems: [403, 404],
        handler: async ({ params }, { res, caller }) => {
          tusHeaders(res);
          return answerState(res, await service.state(caller, params.id, params.upload));
        },
      }),
      defineRoute({
        method: 'patch',
        path: '/permits/{id}/ingress/files/{upload}',
        summary: 'Send bytes of an upload from Upload-Offset (tus PATCH, application/offset+octet-stream)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: Params },
        responses: { 204: { description: 'Received; Upload-Offset is the new offset. At the full length the file is in quarantine.' } },
        problems: [403, 404, 409, 412, 413, 415],
        handler: async ({ params }, { req, res, caller }) => {
          tusHeaders(res);
          requireTus(req);
          if (req.get('content-type') !== 'application/offset+octet-stream') {
            throw new HttpProblemError('unsupported-media-type', `Send the bytes with Content-Type: application/offset+octet-stream (got ${req.get('content-type') ?? 'none'}).`);
          }
          const offset = wholeNumber(req, 'Upload-Offset');
          try {
            const state = await service.append(caller, params.id, params.upload, offset, req);
            answerState(res, state);
            res.status(204).end();
          } catch (error) {
            if (error instanceof UploadTooLongError) throw new HttpProblemError('payload-too-large', `${error.message}.`);
            throw error;
          }
        },
      }),
      defineRoute({
        method: 'delete',
        path: '/permits/{id}/ingress/files/{upload}',
        summary: 'End an unfinished upload and drop its bytes (tus termination)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: Params },
        responses: { 204: { description: 'Ended' } },
        problems: [403, 404, 409, 412],
        handler: async ({ params }, { req, res, caller }) => {
          tusHeaders(res);
          requireTus(req);
          await service.terminate(caller, params.id, params.upload);
        },
      }),
      defineRoute({
        method: 'delete',
        path: '/permits/{id}/ingress/files',
        summary: 'Take a file of your delivery out of quarantine (data holder, while ingress is open)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitParams, query: z.object({ path: z.string().min(1).max(1000) }) },
        responses: { 204: { description: 'Removed' } },
        problems: [403, 404, 409],
        handler: async ({ params, query }, { caller }) => {
          await service.removeQuarantined(caller, params.id, query.path);
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/ingress/files',
        summary: 'The files in quarantine with their SHA-256 and size (your delivery; the HDAB team sees every delivery)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitParams },
        responses: { 200: { description: 'Files by path', body: z.array(QuarantineFile) } },
        problems: [403, 404],
        handler: async ({ params }, { caller }) =>
          (await service.quarantine(caller, params.id)).map((o) => ({ path: o.path, sha256: o.sha256, sizeBytes: o.sizeBytes, deliveryId: o.deliveryId, putBy: o.putBy, putAt: o.putAt })),
      }),
    ],
  };
}
