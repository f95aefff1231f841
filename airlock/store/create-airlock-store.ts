/**
 * The airlock store (airlock-store.ts): records in `airlock_objects`, bytes in a blob back end under the key
 * `<permitId>/<zone>/<path>`. Order of writes, so a crash between them never leaves a record without its bytes:
 * the bytes are written (atomically) first, then the record; on removal the record goes first, then the bytes.
 * A crash may leave bytes without a record, which no read ever sees and `removePermit` clears.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { unsafePathReason } from '../../shared/safe-relative-path.js';
import { AIRLOCK_OBJECTS_TABLE, toAirlockObject, toAirlockObjectRow, type AirlockObjectRow } from './airlock-object-row.js';
import {
  GENERATED_FILES,
  isAirlockZone,
  PUT_ZONES,
  transitionMode,
  ZONE_TRANSITIONS,
  type AirlockObject,
  type AirlockObjectRef,
  type AirlockStore,
  type AirlockZone,
  type ListFilter,
} from './airlock-store.js';
import type { BlobBackend } from './blob-backend.js';
import { isBlobNotFound } from './blob-backend.js';
import { meter, SizeLimitError } from './metered-stream.js';

export interface AirlockStoreDeps {
  knex: Knex;
  blobs: BlobBackend;
  maxFileBytes: number;
  clock?: () => Date;
}

const PERMIT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

function checkPermitId(permitId: string): void {
  if (!PERMIT_ID.test(permitId)) throw new ValidationError(`"${permitId}" is not a permit id (letters, digits, "-" and "_", at most 100)`, { permitId });
}

function checkPath(path: string, what = 'path'): void {
  const reason = unsafePathReason(path);
  if (reason) throw new ValidationError(`the ${what} "${printable(path)}" is refused: it ${reason}`, { path: printable(path), reason });
}

function checkZone(zone: unknown): asserts zone is AirlockZone {
  if (!isAirlockZone(zone)) throw new ValidationError(`"${String(zone)}" is not an airlock zone (quarantine, raw, prepared, outputs, released)`);
}

/** A path as it can be shown in a message: control characters escaped. */
function printable(path: string): string {
  return JSON.stringify(path).slice(1, -1).slice(0, 200);
}

export function blobKey(ref: AirlockObjectRef): string {
  return `${ref.permitId}/${ref.zone}/${ref.path}`;
}

export function createAirlockStore(deps: AirlockStoreDeps): AirlockStore {
  const { knex, blobs, maxFileBytes } = deps;
  const clock = deps.clock ?? (() => new Date());
  const table = () => knex<AirlockObjectRow>(AIRLOCK_OBJECTS_TABLE);

  function checkRef(ref: AirlockObjectRef): void {
    checkPermitId(ref.permitId);
    checkZone(ref.zone);
    checkPath(ref.path);
  }

  async function stat(ref: AirlockObjectRef): Promise<AirlockObject | undefined> {
    checkRef(ref);
    const row = (await table().where({ permit_id: ref.permitId, zone: ref.zone, path: ref.path }).first()) as AirlockObjectRow | undefined;
    return row ? toAirlockObject(row) : undefined;
  }

  async function list(permitId: string, zone: AirlockZone, filter: ListFilter = {}): Promise<AirlockObject[]> {
    checkPermitId(permitId);
    checkZone(zone);
    let query = table().where({ permit_id: permitId, zone });
    if (filter.deliveryId !== undefined) query = query.andWhere({ delivery_id: filter.deliveryId });
    if (filter.outputRequestId !== undefined) query = query.andWhere({ output_request_id: filter.outputRequestId });
    if (filter.prefix !== undefined) {
      checkPath(filter.prefix, 'prefix');
      query = query.andWhere('path', 'like', `${filter.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`);
    }
    const rows = (await query.orderBy('path')) as AirlockObjectRow[];
    return rows.map(toAirlockObject);
  }

  return {
    kind: blobs.kind,
    maxFileBytes,

    async put(input) {
      checkPermitId(input.permitId);
      checkZone(input.zone);
      if (!(PUT_ZONES as readonly string[]).includes(input.zone)) {
        throw new InvalidTransitionError(`files enter ${input.zone} only through a transition (${Object.entries(ZONE_TRANSITIONS).filter(([, to]) => (to as readonly string[]).includes(input.zone)).map(([from]) => `${from} → ${input.zone}`).join(', ') || 'none'}), not by a put`, input.zone, [...PUT_ZONES]);
      }
      checkPath(input.path);
      if (input.expectedSizeBytes !== undefined && input.expectedSizeBytes > maxFileBytes) {
        throw new ValidationError(`the file is ${input.expectedSizeBytes} bytes; the largest file accepted is ${maxFileBytes} bytes (AIRLOCK_MAX_FILE_BYTES)`, { path: input.path, maxFileBytes });
      }
      const ref = { permitId: input.permitId, zone: input.zone, path: input.path };
      if (!input.replace && (await stat(ref))) throw new ConflictError(`${input.zone}/${input.path} is already there; send it with replace to overwrite it`, { path: input.path });
      const metered = meter(input.body, { maxBytes: maxFileBytes, expectedBytes: input.expectedSizeBytes });
      try {
        await blobs.write(blobKey(ref), metered.stream);
      } catch (error) {
        if (error instanceof SizeLimitError) throw new ValidationError(`${input.path}: ${error.message}; nothing was kept`, { path: input.path, maxFileBytes });
        throw error;
      }
      const { sha256, sizeBytes } = metered.result();
      const object: AirlockObject = {
        ...ref,
        sha256,
        sizeBytes,
        putBy: input.putBy,
        putAt: clock().toISOString(),
        ...(input.deliveryId !== undefined ? { deliveryId: input.deliveryId } : {}),
        ...(input.outputRequestId !== undefined ? { outputRequestId: input.outputRequestId } : {}),
      };
      await table().insert(toAirlockObjectRow(object)).onConflict(['permit_id', 'zone', 'path']).merge();
      return object;
    },

    async putGenerated(input) {
      checkPermitId(input.permitId);
      checkZone(input.zone);
      checkPath(input.path);
      const names: readonly string[] | undefined = (GENERATED_FILES as Partial<Record<AirlockZone, readonly string[]>>)[input.zone];
      const [folder, name, ...deeper] = input.path.split('/');
      if (!names || folder === undefined || name === undefined || deeper.length > 0 || !names.includes(name)) {
        throw new InvalidTransitionError(
          `the platform writes into ${input.zone} only ${names ? names.map((n) => `<folder>/${n}`).join(', ') : 'nothing'}; ${input.zone}/${printable(input.path)} enters only through a transition`,
          input.zone,
          [],
        );
      }
      const ref = { permitId: input.permitId, zone: input.zone, path: input.path };
      const sha256 = createHash('sha256').update(input.body).digest('hex');
      const existing = await stat(ref);
      if (existing && existing.sha256 === sha256) {
        // A repeated job: the record and the bytes may both be there, or only the record (bytes lost): write them again.
        if (!(await blobs.exists(blobKey(ref)))) await blobs.write(blobKey(ref), Readable.from([input.body]));
        return existing;
      }
      if (existing && !input.replace) throw new ConflictError(`${input.zone}/${input.path} is already there with other content (SHA-256 ${existing.sha256})`, { path: input.path });
      await blobs.write(blobKey(ref), Readable.from([input.body]));
      const object: AirlockObject = {
        ...ref,
        sha256,
        sizeBytes: input.body.length,
        putBy: input.putBy,
        putAt: clock().toISOString(),
        ...(input.outputRequestId !== undefined ? { outputRequestId: input.outputRequestId } : {}),
      };
      await table().insert(toAirlockObjectRow(object)).onConflict(['permit_id', 'zone', 'path']).merge();
      return object;
    },

    async open(ref) {
      const object = await stat(ref);
      if (!object) throw new NotFoundError(`there is no ${ref.zone}/${ref.path} for permit ${ref.permitId}`, { zone: ref.zone, path: ref.path });
      try {
        return await blobs.read(blobKey(ref));
      } catch (error) {
        if (isBlobNotFound(error)) throw new NotFoundError(`the bytes of ${ref.zone}/${ref.path} are missing from the store; restore them from a backup or remove the record`, { zone: ref.zone, path: ref.path });
        throw error;
      }
    },

    stat,

    list,

    async transition(input) {
      checkPermitId(input.permitId);
      checkZone(input.from);
      checkZone(input.to);
      const mode = transitionMode(input.from, input.to);
      if (!mode) {
        const allowed: readonly string[] = ZONE_TRANSITIONS[input.from];
        throw new InvalidTransitionError(`files cannot go from ${input.from} to ${input.to}; from ${input.from} they go only to ${allowed.join(', ') || 'nowhere'}`, input.from, [...allowed]);
      }
      if (input.targetPrefix !== undefined) checkPath(input.targetPrefix, 'target folder');
      input.paths?.forEach((p) => checkPath(p));
      const targetPath = (path: string) => (input.targetPrefix ? `${input.targetPrefix}/${path}` : path);

      // What is to go: the named paths (each in the source, or already moved to the target), or the whole zone.
      const sources = await list(input.permitId, input.from, { deliveryId: input.deliveryId });
      const bySourcePath = new Map(sources.map((o) => [o.path, o]));
      const wanted = input.paths ?? sources.map((o) => o.path);
      const done: AirlockObject[] = [];
      for (const path of wanted) {
        const source = bySourcePath.get(path);
        const targetRef = { permitId: input.permitId, zone: input.to, path: targetPath(path) };
        const existing = await stat(targetRef);
        if (!source) {
          // Already made (a repeated transition): the target is there and the source gone.
          if (existing && mode === 'move') {
            done.push(existing);
            continue;
          }
          throw new NotFoundError(`there is no ${input.from}/${path} for permit ${input.permitId}`, { zone: input.from, path });
        }
        if (existing) {
          if (existing.sha256 !== source.sha256) throw new ConflictError(`${input.to}/${targetRef.path} is already there with other content (SHA-256 ${existing.sha256})`, { path: targetRef.path });
        } else {
          await blobs.copy(blobKey(source), blobKey(targetRef), source.sizeBytes);
        }
        const object: AirlockObject = {
          ...source,
          zone: input.to,
          path: targetRef.path,
          putBy: existing?.putBy ?? input.by,
          putAt: existing?.putAt ?? clock().toISOString(),
          ...(input.outputRequestId !== undefined ? { outputRequestId: input.outputRequestId } : {}),
        };
        await knex.transaction(async (trx) => {
          await trx(AIRLOCK_OBJECTS_TABLE).insert(toAirlockObjectRow(object)).onConflict(['permit_id', 'zone', 'path']).ignore();
          if (mode === 'move') await trx(AIRLOCK_OBJECTS_TABLE).where({ permit_id: source.permitId, zone: source.zone, path: source.path }).delete();
        });
        if (mode === 'move') await blobs.delete(blobKey(source));
        done.push((await stat(targetRef)) ?? object);
      }
      return done;
    },

    async remove(ref) {
      checkRef(ref);
      const removed = (await table().where({ permit_id: ref.permitId, zone: ref.zone, path: ref.path }).delete().returning('path')).length;
      await blobs.delete(blobKey(ref));
      return removed > 0;
    },

    async removePermit(permitId) {
      checkPermitId(permitId);
      const removed = (await table().where({ permit_id: permitId }).delete().returning('path')).length;
      await blobs.deletePrefix(`${permitId}/`);
      return removed;
    },
  };
}
