/**
 * HTTP edge of the egress files: the outputs zone (PUT streams the body, any media type), a request's files with
 * their checks, reviewers' previews and image/text bytes, the permit's disclosure thresholds, releases and their
 * downloads. File paths travel in the `path` query parameter (they hold "/").
 */
import { z } from 'zod';
import { DisclosureThresholdsSchema } from '../../airlock/disclosure/disclosure-thresholds.js';
import { defineRoute, type FeatureRouter } from '../platform/define-route.js';
import { PermitIdParams } from '../permits/permits-schemas.js';
import { EgressParams, FilePreviewSchema, OutputFileSchema, OutputPathQuery, ReleaseSchema, RequestFileSchema } from './egress-schemas.js';
import type { DownloadAnswer, EgressFilesService } from './egress-files-service.js';
import type { Response } from 'express';
import { ValidationError } from '../../shared/index.js';
import { outputsTokenFromHeader } from '../../airlock/outputs-token/outputs-sync-token.js';
import { requireCaller } from '../identity/caller.js';

const TAGS = ['Egress'];
const ThresholdsAnswer = z.object({ thresholds: DisclosureThresholdsSchema, setBy: z.string().nullable(), setAt: z.string().nullable() }).meta({ id: 'PermitDisclosureThresholds' });

/** Sends file bytes so a browser never runs them: sandboxed, not sniffed, an attachment unless an image or text is asked inline. */
async function sendFile(res: Response, answer: DownloadAnswer, name: string, inline: boolean): Promise<void> {
  res.status(200);
  res.set({
    'Content-Type': answer.mediaType.startsWith('text/') ? `${answer.mediaType}; charset=utf-8` : answer.mediaType,
    'Content-Length': String(answer.sizeBytes),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name.split('/').at(-1) ?? 'file')}`,
    ...(answer.sha256 ? { 'Repr-Digest': `sha-256=:${Buffer.from(answer.sha256, 'hex').toString('base64')}:` } : {}),
  });
  if (Buffer.isBuffer(answer.body)) {
    res.end(answer.body);
    return;
  }
  const body = answer.body;
  await new Promise<void>((resolve, reject) => {
    body.on('error', (error) => {
      res.destroy(error);
      reject(error);
    });
    res.on('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  }).catch(() => undefined);
}

export function createEgressFilesRouter(deps: { service: EgressFilesService }): FeatureRouter {
  const { service } = deps;
  return {
    name: 'egress-files',
    routes: [
      defineRoute({
        method: 'put',
        path: '/permits/{id}/outputs',
        summary: "Put a file into the workspace's outputs (research team, or the workspace's outputs sync, during analysis)",
        description:
          "The request body is the file's bytes (any media type, streamed; Content-Length required, at most the airlock's file size limit). A file at the same path is replaced. " +
          "Bearer: a research team member's access token, or the permit's outputs token (`spe-outputs.…`) that the platform issues to the workspace's outputs-sync Job in a Secret; that token is accepted here, for its own permit, and nowhere else.",
        tags: TAGS,
        // Authenticated in the handler: a user's token (as on every bearer route) or the permit's outputs token.
        auth: 'public',
        request: { params: PermitIdParams, query: OutputPathQuery },
        responses: { 201: { description: 'The file as stored: sha256 and size computed while it streamed in', body: OutputFileSchema } },
        problems: [401, 403, 404, 409, 413],
        handler: async ({ params, query }, { req, res }) => {
          const outputsToken = outputsTokenFromHeader(req.get('authorization'));
          const caller = outputsToken ? undefined : requireCaller(res);
          const length = req.get('content-length');
          if (length === undefined || !/^\d+$/.test(length)) throw new ValidationError('Send the file with a Content-Length header (the number of bytes).');
          const file = caller
            ? await service.putOutput(caller, params.id, query.path, req, Number(length))
            : await service.putOutputWithToken(outputsToken as string, params.id, query.path, req, Number(length));
          res.status(201);
          return file;
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/outputs',
        summary: "The files in the workspace's outputs",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Files, by path', body: z.array(OutputFileSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.listOutputs(caller, params.id),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/egress-requests/{rid}/files',
        summary: "An output request's files: size, sha256, media type and the disclosure checks' result",
        tags: TAGS,
        auth: 'bearer',
        request: { params: EgressParams },
        responses: { 200: { description: 'The files in the order the request names them', body: z.array(RequestFileSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.requestFiles(caller, params.id, params.rid),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/egress-requests/{rid}/files/preview',
        summary: 'Preview a submitted file (HDAB team): the first rows of a table, the first 64 KiB of a text, or an image',
        tags: TAGS,
        auth: 'bearer',
        request: { params: EgressParams, query: OutputPathQuery },
        responses: { 200: { description: 'The preview', body: FilePreviewSchema } },
        problems: [403, 404, 409],
        handler: ({ params, query }, { caller }) => service.preview(caller, params.id, params.rid, query.path),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/egress-requests/{rid}/files/content',
        summary: 'The bytes of a submitted image or text file, for the reviewers (HDAB team)',
        tags: TAGS,
        auth: 'bearer',
        request: { params: EgressParams, query: OutputPathQuery },
        responses: { 200: { description: 'The file (sandboxed)', contentType: 'application/octet-stream' } },
        problems: [403, 404, 409],
        handler: async ({ params, query }, { res, caller }) => {
          await sendFile(res, await service.content(caller, params.id, params.rid, query.path), query.path, true);
        },
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/disclosure-thresholds',
        summary: "The permit's disclosure-check thresholds (the defaults until the HDAB sets them)",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'The thresholds', body: ThresholdsAnswer } },
        problems: [404],
        handler: ({ params }, { caller }) => service.thresholds(caller, params.id),
      }),
      defineRoute({
        method: 'put',
        path: '/permits/{id}/disclosure-thresholds',
        summary: "Set the permit's disclosure-check thresholds (HDAB team); requests submitted afterwards are checked with them",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams, body: DisclosureThresholdsSchema },
        responses: { 200: { description: 'The thresholds now', body: ThresholdsAnswer } },
        problems: [403, 404],
        handler: ({ params, body }, { caller }) => service.setThresholds(caller, params.id, body),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/releases',
        summary: "The permit's releases: each approved output request's files and metadata (RO-Crate, manifest, check results)",
        tags: TAGS,
        auth: 'bearer',
        request: { params: PermitIdParams },
        responses: { 200: { description: 'Releases, oldest first', body: z.array(ReleaseSchema) } },
        problems: [404],
        handler: ({ params }, { caller }) => service.releases(caller, params.id),
      }),
      defineRoute({
        method: 'get',
        path: '/permits/{id}/releases/{rid}/download',
        summary: 'Download a released file or its metadata (research team); every download is an audit entry; 410 once the permit\'s data was deleted at closure',
        tags: TAGS,
        auth: 'bearer',
        request: { params: EgressParams, query: z.object({ path: z.string().min(1).max(1000) }) },
        responses: { 200: { description: 'The file, as an attachment', contentType: 'application/octet-stream' } },
        problems: [403, 404, 409, 410],
        handler: async ({ params, query }, { res, caller }) => {
          await sendFile(res, await service.download(caller, params.id, params.rid, query.path), query.path, false);
        },
      }),
    ],
  };
}
