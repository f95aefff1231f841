/**
 * The files of the egress: the workspace's outputs zone (the research team puts files there during analysis; it is
 * what the workspace's outputs sync does where there is no Kubernetes), what reviewers see of a request's files
 * (size, sha256, media type, disclosure-check result, a preview), the permit's disclosure thresholds, and the
 * releases the research team downloads. Who may do what:
 * - put a file into outputs: the research team, while the permit is in analysis (ANALYSIS_ACTIVE or
 *   EGRESS_REVIEW_PENDING); or the workspace's outputs-sync Job with the permit's outputs token
 *   (airlock/outputs-token/), which is good for that and for nothing else;
 * - list outputs and a request's files with their checks: every team member of the permit;
 * - preview or open a file's bytes before release: the HDAB team (the reviewers) only: bytes leave the airlock
 *   for the research team only through a release;
 * - set the disclosure thresholds: the HDAB team;
 * - download a released file: the research team only; every download is an audit entry, written before a byte.
 *   The files and the release's metadata (RO-Crate, manifest, check results) are served from their objects in the
 *   released zone. After the permit's data was deleted at closure, listings say so (when, the proof of deletion)
 *   and a download answers 410 Gone.
 * A refused request changes nothing and writes no audit entry.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ConflictError, ForbiddenError, GoneError, InvalidTransitionError, NotFoundError, ValidationError, type PermitStatus, type TeamRole } from '../../shared/index.js';
import { unsafePathReason } from '../../shared/safe-relative-path.js';
import type { AirlockObject, AirlockStore } from '../../airlock/store/airlock-store.js';
import type { DisclosureThresholds } from '../../airlock/disclosure/disclosure-thresholds.js';
import { RELEASE_METADATA_FILES } from '../../airlock/release/build-release-crate.js';
import { releaseMetadataFiles } from '../../airlock/release/release-outputs.js';
import { mediaTypeOf, PREVIEWABLE_IMAGES, TEXT_TYPES } from '../../airlock/release/media-type.js';
import type { Caller } from '../identity/caller.js';
import { UnauthenticatedError } from '../identity/unauthenticated-error.js';
import type { PermitAccess, PermitContext } from '../permits/permit-access.js';
import type { EgressFilesStore, EgressFileCheck, EgressRelease, PermitDataDeletion } from './egress-files-store.js';
import type { EgressStore } from './egress-store.js';
import { previewFile, type FilePreview } from './file-preview.js';

/** Who the outputs-sync Job's puts are recorded as. */
export const OUTPUTS_SYNC_ACTOR = 'system:outputs-sync';

/** Permit statuses in which the workspace may put files into outputs. */
export const OUTPUTS_OPEN_STATUSES: readonly PermitStatus[] = ['ANALYSIS_ACTIVE', 'EGRESS_REVIEW_PENDING'];

export interface OutputFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  putBy: string;
  putAt: string;
}

export interface RequestFile {
  path: string;
  description?: string | undefined;
  supporting: boolean;
  /** As submitted (checked), or as it is in outputs now for a draft. */
  sha256: string | null;
  sizeBytes: number | null;
  mediaType: string;
  /** Whether outputs still holds these bytes (false: changed or removed since submission). */
  unchanged: boolean | null;
  /** Whether outputs holds a file at this path now (false after it was removed, or the permit's data was deleted). */
  inOutputs: boolean;
  check: EgressFileCheck['result'] | null;
  /** Set when the file is no longer in outputs because the permit's data was deleted at closure. */
  deletedAtClosure: PermitDataDeletion | null;
}

export interface ReleaseView {
  egressRequestId: string;
  title: string;
  releasedAt: string;
  files: { path: string; sha256: string; sizeBytes: number; mediaType: string }[];
  metadata: { path: string; sha256: string; sizeBytes: number; mediaType: string }[];
  /** Set when the released files and metadata were deleted with the permit's data at closure (downloads answer 410). */
  deletedAtClosure: PermitDataDeletion | null;
}

export interface DownloadAnswer {
  mediaType: string;
  sizeBytes: number;
  sha256: string | null;
  body: Readable | Buffer;
}

export interface EgressFilesDeps {
  access: PermitAccess;
  airlock: AirlockStore;
  files: EgressFilesStore;
  egress: Pick<EgressStore, 'find'>;
}

function requireRole(context: PermitContext, role: TeamRole, what: string): void {
  if (!context.membership.includes(role)) {
    throw new ForbiddenError(`Only the ${role === 'RESEARCH_TEAM' ? 'research team' : 'HDAB team'} of permit ${context.permit.id} may ${what}; you are ${context.membership.join(', ') || 'not on its team'}.`, {
      permitId: context.permit.id,
      requiredTeamRole: role,
    });
  }
}

export function checkOutputPath(path: string): void {
  const reason = unsafePathReason(path);
  if (reason) throw new ValidationError(`The path ${JSON.stringify(path.slice(0, 200))} is refused: it ${reason}.`, { errors: [{ path: 'query.path', message: reason }] });
  if (RELEASE_METADATA_FILES.includes(path)) throw new ValidationError(`${path} is a name the release writes itself; give the file another name.`, { errors: [{ path: 'query.path', message: 'reserved name' }] });
}

const toOutputFile = (o: AirlockObject): OutputFile => ({ path: o.path, sha256: o.sha256, sizeBytes: o.sizeBytes, mediaType: mediaTypeOf(o.path), putBy: o.putBy, putAt: o.putAt });

export type EgressFilesService = ReturnType<typeof createEgressFilesService>;

export function createEgressFilesService(deps: EgressFilesDeps) {
  const { access, airlock, files } = deps;

  async function request(permitId: string, requestId: string) {
    const found = await deps.egress.find(permitId, requestId);
    if (!found) throw new NotFoundError(`Permit ${permitId} has no output request ${requestId}.`, { permitId, egressRequestId: requestId });
    return found;
  }

  /** The request's file, as submitted; refuses a path the request does not name or bytes changed since. */
  async function submittedFile(permitId: string, requestId: string, path: string): Promise<{ check: EgressFileCheck; object: AirlockObject }> {
    const req = await request(permitId, requestId);
    if (!req.files.some((f) => f.path === path)) throw new NotFoundError(`Output request ${requestId} does not name ${path}.`, { egressRequestId: requestId, path });
    const check = (await files.fileChecks(requestId)).find((c) => c.path === path);
    if (!check) throw new InvalidTransitionError(`Output request ${requestId} is ${req.status}: its files are checked and shown when it is submitted.`, req.status, ['SUBMITTED']);
    const object = await airlock.stat({ permitId, zone: 'outputs', path });
    if (!object || object.sha256 !== check.sha256) {
      throw new ConflictError(`${path} is no longer the file that was submitted (${object ? `its sha256 is now ${object.sha256}` : 'it was removed from outputs'}): ask the research team to submit the request again.`, { path, submittedSha256: check.sha256 });
    }
    return { check, object };
  }

  return {
    async putOutput(caller: Caller, permitId: string, path: string, body: Readable, sizeBytes: number | undefined): Promise<OutputFile> {
      checkOutputPath(path);
      const context = await access.load(caller, permitId);
      requireRole(context, 'RESEARCH_TEAM', 'put files into its outputs');
      if (!OUTPUTS_OPEN_STATUSES.includes(context.permit.status)) {
        throw new InvalidTransitionError(`Permit ${permitId} is ${context.permit.status}: files can be put into outputs only during analysis (${OUTPUTS_OPEN_STATUSES.join(', ')}).`, context.permit.status, OUTPUTS_OPEN_STATUSES as PermitStatus[]);
      }
      const object = await airlock.put({ permitId, zone: 'outputs', path, putBy: caller.userId, body, expectedSizeBytes: sizeBytes, replace: true });
      return toOutputFile(object);
    },

    /**
     * The outputs-sync Job's put: the token must be the live outputs token of this very permit (401 otherwise, 403 for
     * another permit's token), the permit in analysis; the object is put by `system:outputs-sync`.
     */
    async putOutputWithToken(token: string, permitId: string, path: string, body: Readable, sizeBytes: number | undefined): Promise<OutputFile> {
      const grant = await files.verifyOutputsToken(token);
      if (!grant) throw new UnauthenticatedError('invalid_token', 'The outputs token is unknown, revoked or expired: the workspace gets a new one when it is started again.');
      if (grant.permitId !== permitId) {
        throw new ForbiddenError(`This outputs token is for the outputs of permit ${grant.permitId} only; it cannot put files into permit ${permitId}.`, { tokenPermitId: grant.permitId });
      }
      checkOutputPath(path);
      if (!OUTPUTS_OPEN_STATUSES.includes(grant.permitStatus as PermitStatus)) {
        throw new InvalidTransitionError(`Permit ${permitId} is ${grant.permitStatus}: files can be put into outputs only during analysis (${OUTPUTS_OPEN_STATUSES.join(', ')}).`, grant.permitStatus, OUTPUTS_OPEN_STATUSES as PermitStatus[]);
      }
      const object = await airlock.put({ permitId, zone: 'outputs', path, putBy: OUTPUTS_SYNC_ACTOR, body, expectedSizeBytes: sizeBytes, replace: true });
      return toOutputFile(object);
    },

    async listOutputs(caller: Caller, permitId: string): Promise<OutputFile[]> {
      await access.load(caller, permitId);
      return (await airlock.list(permitId, 'outputs')).map(toOutputFile);
    },

    async requestFiles(caller: Caller, permitId: string, requestId: string): Promise<RequestFile[]> {
      await access.load(caller, permitId);
      const req = await request(permitId, requestId);
      const checks = new Map((await files.fileChecks(requestId)).map((c) => [c.path, c]));
      const deletion = (await files.dataDeletion(permitId)) ?? null;
      return Promise.all(
        req.files.map(async (file): Promise<RequestFile> => {
          const object = await airlock.stat({ permitId, zone: 'outputs', path: file.path });
          const check = checks.get(file.path);
          return {
            path: file.path,
            ...(file.description ? { description: file.description } : {}),
            supporting: (file as { supporting?: boolean }).supporting === true,
            sha256: check?.sha256 ?? object?.sha256 ?? null,
            sizeBytes: check?.sizeBytes ?? object?.sizeBytes ?? null,
            mediaType: mediaTypeOf(file.path),
            unchanged: check ? object?.sha256 === check.sha256 : null,
            inOutputs: object !== undefined && object !== null,
            check: check?.result ?? null,
            deletedAtClosure: object ? null : deletion,
          };
        }),
      );
    },

    async preview(caller: Caller, permitId: string, requestId: string, path: string): Promise<FilePreview & { path: string; sha256: string; sizeBytes: number; mediaType: string }> {
      const context = await access.load(caller, permitId);
      requireRole(context, 'HDAB_TEAM', 'preview output files before release');
      const { object } = await submittedFile(permitId, requestId, path);
      const mediaType = mediaTypeOf(path);
      const preview = await previewFile(path, mediaType, await airlock.open({ permitId, zone: 'outputs', path }));
      return { ...preview, path, sha256: object.sha256, sizeBytes: object.sizeBytes, mediaType };
    },

    async content(caller: Caller, permitId: string, requestId: string, path: string): Promise<DownloadAnswer> {
      const context = await access.load(caller, permitId);
      requireRole(context, 'HDAB_TEAM', 'open output files before release');
      const mediaType = mediaTypeOf(path);
      if (!PREVIEWABLE_IMAGES.has(mediaType) && !TEXT_TYPES.has(mediaType)) throw new ValidationError(`${path} is ${mediaType}: reviewers open images and text in the web app; other files are not served before release.`);
      const { object } = await submittedFile(permitId, requestId, path);
      return { mediaType, sizeBytes: object.sizeBytes, sha256: object.sha256, body: await airlock.open({ permitId, zone: 'outputs', path }) };
    },

    async thresholds(caller: Caller, permitId: string) {
      await access.load(caller, permitId);
      return files.thresholds(permitId);
    },

    async setThresholds(caller: Caller, permitId: string, thresholds: DisclosureThresholds) {
      const context = await access.load(caller, permitId);
      requireRole(context, 'HDAB_TEAM', 'set its disclosure thresholds');
      await files.setThresholds(permitId, thresholds, caller.userId);
      return files.thresholds(permitId);
    },

    async releases(caller: Caller, permitId: string): Promise<ReleaseView[]> {
      await access.load(caller, permitId);
      const releases = await files.releases(permitId);
      const deletion = releases.length > 0 ? await files.dataDeletion(permitId) : undefined;
      return Promise.all(
        releases.map(async (r) => {
          const title = (await deps.egress.find(permitId, r.egressRequestId))?.title ?? r.egressRequestId;
          const present = deletion ? (await airlock.list(permitId, 'released', { prefix: r.egressRequestId })).length > 0 : true;
          return toReleaseView(r, title, present ? null : (deletion ?? null));
        }),
      );
    },

    /**
     * A released file (or the release's metadata), from its object in the released zone, for the research team;
     * audited before the bytes go. 410 once the permit's data was deleted at closure.
     */
    async download(caller: Caller, permitId: string, requestId: string, path: string): Promise<DownloadAnswer> {
      const context = await access.load(caller, permitId);
      requireRole(context, 'RESEARCH_TEAM', 'download its released outputs');
      const release = await files.release(permitId, requestId);
      if (!release) throw new NotFoundError(`Output request ${requestId} of permit ${permitId} has not been released.`, { permitId, egressRequestId: requestId });
      const metadata = metadataFiles(release).find((m) => m.path === path);
      const recorded = metadata ?? release.files.find((f) => f.path === path);
      if (!recorded) throw new NotFoundError(`The release of output request ${requestId} has no file ${path}.`, { egressRequestId: requestId, path });
      const ref = { permitId, zone: 'released' as const, path: `${requestId}/${path}` };
      let object = await airlock.stat(ref);
      if (!object) {
        const deletion = await files.dataDeletion(permitId);
        if (deletion) {
          throw new GoneError(
            `${path} of the release of output request ${requestId} was deleted with the rest of permit ${permitId}'s data at its closure on ${deletion.deletedAt} (proof of deletion ${deletion.proofOfDeletion}, audit entry ${deletion.auditSeq}); released files can be downloaded only until the permit closes. Ask the HDAB for the proof of deletion if you need it.`,
            { permitId, egressRequestId: requestId, path, deletedAt: deletion.deletedAt, proofOfDeletion: deletion.proofOfDeletion, auditSeq: deletion.auditSeq },
          );
        }
        // A release recorded before its metadata was written as objects: write the recorded bytes, then serve them from there.
        if (metadata && (await airlock.list(permitId, 'released', { prefix: requestId })).length > 0) {
          object = await airlock.putGenerated({ permitId, zone: 'released', path: ref.path, putBy: 'system:egress-files', body: metadata.bytes, outputRequestId: requestId });
        }
      }
      if (!object || object.sha256 !== recorded.sha256) throw new ConflictError(`The released copy of ${path} is missing or not the released bytes; ask an administrator to check the airlock store.`, { path });
      await files.auditDownload({ actor: caller.userId, permitId, egressRequestId: requestId, path, sha256: recorded.sha256 });
      return { mediaType: recorded.mediaType, sizeBytes: object.sizeBytes, sha256: object.sha256, body: await airlock.open(ref) };
    },
  };
}

const METADATA_MEDIA_TYPES: Record<string, string> = {
  'ro-crate-metadata.json': 'application/ld+json',
  'manifest-sha256.txt': 'text/plain',
  'disclosure-checks.json': 'application/json',
};

/** The release's metadata files as recorded (the bytes written into the released zone), with their sha256. */
function metadataFiles(release: EgressRelease): { path: string; bytes: Buffer; sha256: string; sizeBytes: number; mediaType: string }[] {
  return releaseMetadataFiles(release).map(([path, text]) => {
    const bytes = Buffer.from(text);
    return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, mediaType: METADATA_MEDIA_TYPES[path] ?? 'application/octet-stream' };
  });
}

function toReleaseView(release: EgressRelease, title: string, deletedAtClosure: PermitDataDeletion | null): ReleaseView {
  return {
    egressRequestId: release.egressRequestId,
    title,
    releasedAt: release.releasedAt,
    files: release.files,
    metadata: metadataFiles(release).map((m) => ({ path: m.path, sha256: m.sha256, sizeBytes: m.sizeBytes, mediaType: m.mediaType })),
    deletedAtClosure,
  };
}
