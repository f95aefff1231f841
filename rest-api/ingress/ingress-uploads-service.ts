/**
 * Resumable uploads of a delivery's files (the tus 1.0 core protocol with creation and termination; the HTTP edge
 * is ingress-uploads-router.ts). Only a data holder of the permit, while the ingress is open (the `confirm-upload`
 * rule), may create an upload, and only its creator may resume, read or end it. The bytes go to a file in the upload
 * folder as they arrive (bounded memory; the file's size is the offset, so an upload survives a restart); when the
 * last byte is in, the file streams into the airlock's quarantine (the store computes SHA-256 and size) under the
 * data holder's delivery, replacing an earlier upload of the same path, and the partial file is removed.
 *
 * Refused before anything is written: an unsafe path, a length over AIRLOCK_MAX_FILE_BYTES, an offset other than the
 * current one (409). A PATCH that would run past the announced length is cut back to where it started (413), so a
 * refused request leaves no bytes behind.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AirlockObject, AirlockStore } from '../../airlock/store/airlock-store.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { unsafePathReason } from '../../shared/safe-relative-path.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import type { IngressUpload, UploadStore } from './upload-store.js';

/** How long an unfinished upload may be resumed. */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export class UploadTooLongError extends Error {
  constructor(readonly length: number) {
    super(`the upload would run past its announced length of ${length} bytes; nothing of this request was kept`);
    this.name = 'UploadTooLongError';
  }
}

/** The announced length is over AIRLOCK_MAX_FILE_BYTES (the HTTP edge answers 413, as tus asks). */
export class FileTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly maxFileBytes: number,
  ) {
    super(`The file has ${length} bytes; the largest file accepted is ${maxFileBytes} bytes (AIRLOCK_MAX_FILE_BYTES). Split it, or ask the platform's operators to raise the limit.`);
    this.name = 'FileTooLargeError';
  }
}

export interface IngressUploadsDeps {
  access: PermitAccess;
  airlock: AirlockStore;
  uploads: UploadStore;
  /** Where partial uploads are kept (AIRLOCK_UPLOAD_DIR). */
  dir: string;
  now?: () => Date;
}

export interface UploadState {
  upload: IngressUpload;
  offset: number;
  /** The file in quarantine, once the upload is complete. */
  object?: AirlockObject;
}

export type IngressUploadsService = ReturnType<typeof createIngressUploadsService>;

export function createIngressUploadsService(deps: IngressUploadsDeps) {
  const now = deps.now ?? (() => new Date());
  const partOf = (id: string) => path.join(deps.dir, `${id}.part`);
  const busy = new Set<string>();

  async function sizeOf(file: string): Promise<number> {
    return stat(file).then(
      (s) => s.size,
      () => 0,
    );
  }

  /** The upload, if the caller made it and may still upload to the permit. */
  async function ownUpload(caller: Caller, permitId: string, id: string, forWriting: boolean): Promise<IngressUpload> {
    const upload = await deps.uploads.get(id);
    if (!upload || upload.permitId !== permitId) throw new NotFoundError(`There is no upload ${id} for permit ${permitId}.`);
    if (forWriting) await deps.access.forAction(caller, permitId, 'confirm-upload');
    else await deps.access.load(caller, permitId);
    if (upload.createdBy !== caller.userId) throw new ForbiddenError(`Upload ${id} belongs to ${upload.createdBy}; only they may use it.`);
    if (!upload.completedAt && new Date(upload.expiresAt) < now()) throw new NotFoundError(`Upload ${id} expired at ${upload.expiresAt}; start the file again with a new upload.`);
    return upload;
  }

  async function finish(upload: IngressUpload, caller: Caller): Promise<AirlockObject> {
    const object = await deps.airlock.put({
      permitId: upload.permitId,
      zone: 'quarantine',
      path: upload.path,
      putBy: caller.userId,
      deliveryId: upload.deliveryId,
      body: createReadStream(partOf(upload.id)),
      expectedSizeBytes: upload.length,
      replace: true,
    });
    await deps.uploads.complete(upload.id, object.sha256, now());
    await rm(partOf(upload.id), { force: true });
    return object;
  }

  async function clearExpired(permitId: string): Promise<void> {
    for (const upload of await deps.uploads.expired(permitId, now())) {
      await rm(partOf(upload.id), { force: true });
      await deps.uploads.remove(upload.id);
    }
  }

  return {
    maxFileBytes: deps.airlock.maxFileBytes,

    /** tus creation: checks everything, then records the upload and an empty partial file. */
    async create(caller: Caller, permitId: string, input: { path: string | undefined; length: number }): Promise<UploadState> {
      await deps.access.forAction(caller, permitId, 'confirm-upload');
      if (input.path === undefined) throw new ValidationError('Name the file: send its path in Upload-Metadata as "relativePath" or "filename" (base64).', { errors: [{ path: 'header.upload-metadata', message: 'relativePath or filename is required' }] });
      const reason = unsafePathReason(input.path);
      if (reason) {
        const shown = JSON.stringify(input.path).slice(1, -1).slice(0, 200);
        throw new ValidationError(`The file path "${shown}" is refused: it ${reason}.`, { errors: [{ path: 'header.upload-metadata.relativePath', message: reason }] });
      }
      if (input.length > deps.airlock.maxFileBytes) throw new FileTooLargeError(input.length, deps.airlock.maxFileBytes);
      await clearExpired(permitId);
      const id = randomUUID();
      await mkdir(deps.dir, { recursive: true });
      await rm(partOf(id), { force: true });
      const created = now();
      const upload = await deps.uploads.create({ id, permitId, deliveryId: caller.userId, path: input.path, length: input.length, createdBy: caller.userId, expiresAt: new Date(created.getTime() + UPLOAD_LIFETIME_MS).toISOString() });
      await pipeline(async function* () {}, createWriteStream(partOf(id)));
      if (input.length === 0) return { upload, offset: 0, object: await finish(upload, caller) };
      return { upload, offset: 0 };
    },

    /** tus HEAD: how far the upload got. */
    async state(caller: Caller, permitId: string, id: string): Promise<UploadState> {
      const upload = await ownUpload(caller, permitId, id, false);
      if (upload.completedAt) return { upload, offset: upload.length };
      return { upload, offset: await sizeOf(partOf(id)) };
    },

    /** tus PATCH: appends the body at `offset` (which must be the current one). */
    async append(caller: Caller, permitId: string, id: string, offset: number, body: Readable): Promise<UploadState> {
      const upload = await ownUpload(caller, permitId, id, true);
      if (busy.has(id)) throw new ConflictError(`Upload ${id} is receiving another request; wait for it to end, then ask for the offset again (HEAD).`);
      busy.add(id);
      try {
        const current = upload.completedAt ? upload.length : await sizeOf(partOf(id));
        if (offset !== current) throw new ConflictError(`Upload-Offset is ${offset} but the upload is at ${current}; ask for the offset (HEAD) and continue from there.`, { offset: current });
        if (upload.completedAt) throw new ConflictError(`Upload ${id} is complete.`, { offset: current });
        let received = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            received += chunk.length;
            if (current + received > upload.length) callback(new UploadTooLongError(upload.length));
            else callback(null, chunk);
          },
        });
        try {
          await pipeline(body, limit, createWriteStream(partOf(id), { flags: 'a' }));
        } catch (error) {
          if (error instanceof UploadTooLongError) {
            await truncate(partOf(id), current);
            throw error;
          }
          // The client went away: keep what arrived, so the upload can resume from there.
        }
        const reached = await sizeOf(partOf(id));
        await deps.uploads.recordOffset(id, reached);
        if (reached < upload.length) return { upload, offset: reached };
        return { upload, offset: reached, object: await finish(upload, caller) };
      } finally {
        busy.delete(id);
      }
    },

    /** tus termination: the unfinished upload and its bytes go. */
    async terminate(caller: Caller, permitId: string, id: string): Promise<void> {
      const upload = await ownUpload(caller, permitId, id, false);
      if (busy.has(id)) throw new ConflictError(`Upload ${id} is receiving a request; try again when it has ended.`);
      await rm(partOf(upload.id), { force: true });
      await deps.uploads.remove(upload.id);
    },

    /**
     * A data holder takes a file of their own delivery out of quarantine while ingress is open (e.g. after the HDAB
     * asked for a new upload, so an old file does not count as "not in the manifest"). 404 for another's file.
     */
    async removeQuarantined(caller: Caller, permitId: string, filePath: string): Promise<void> {
      await deps.access.forAction(caller, permitId, 'confirm-upload');
      const reason = unsafePathReason(filePath);
      if (reason) throw new ValidationError(`The file path is refused: it ${reason}.`, { errors: [{ path: 'query.path', message: reason }] });
      const object = await deps.airlock.stat({ permitId, zone: 'quarantine', path: filePath });
      if (!object || object.deliveryId !== caller.userId) throw new NotFoundError(`Your delivery has no ${filePath} in quarantine.`);
      await deps.airlock.remove({ permitId, zone: 'quarantine', path: filePath });
    },

    /** The files in quarantine: a data holder sees their own delivery, the HDAB team every delivery. */
    async quarantine(caller: Caller, permitId: string): Promise<AirlockObject[]> {
      const { membership } = await deps.access.load(caller, permitId);
      const roles = new Set(membership);
      if (roles.has('HDAB_TEAM')) return deps.airlock.list(permitId, 'quarantine');
      if (roles.has('DATA_HOLDER')) return deps.airlock.list(permitId, 'quarantine', { deliveryId: caller.userId });
      throw new ForbiddenError('Only the permit\'s data holders and HDAB team see the files in quarantine.');
    },
  };
}
