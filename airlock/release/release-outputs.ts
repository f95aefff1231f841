/**
 * Releasing an approved output request from the airlock store: the request's files (not its supporting files)
 * go from outputs to released/<request id>/ (a copy along the store's outputs → released transition), after
 * checking that outputs still holds the bytes that were checked and reviewed; then the RO-Crate, manifest and
 * check results are built, validated and written as objects beside them (released/<request id>/ro-crate-metadata.json,
 * …, the store's `putGenerated`), and last the release is recorded (egress_releases, audit entry). Idempotent and
 * resumable: a release already recorded is returned as it is (its metadata objects written again from the
 * recorded bytes if any is missing); a repeated transition changes nothing; the crate's bytes depend only on the
 * records, so a job repeated after a crash between two files writes the same bytes and goes on.
 */
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { AirlockStore } from '../store/airlock-store.js';
import type { StoredReleaseMetadata } from './release-records.js';
import { buildReleaseCrate, CHECKS_FILE, CRATE_FILE, MANIFEST_FILE, RELEASE_METADATA_FILES } from './build-release-crate.js';
import { mediaTypeOf } from './media-type.js';
import type { ReleaseDescription } from './release-description.js';
import type { ReleaseRecords, StoredRelease } from './release-records.js';
import { validateReleaseCrate } from './validate-release-crate.js';

export interface AirlockReleaseDeps {
  airlock: AirlockStore;
  records: ReleaseRecords;
  /** Public base URL of the platform (identifiers in the crate). */
  baseUrl: string;
  platform?: { name: string; version: string };
}

export interface AirlockRelease {
  /** Releases the request's files; `by` is the worker (`system:<task type>`). */
  release(permitId: string, egressRequestId: string, by: string): Promise<StoredRelease>;
}

export function createAirlockRelease(deps: AirlockReleaseDeps): AirlockRelease {
  const platform = deps.platform ?? { name: 'SPE platform', version: '0.1.0' };
  return {
    async release(permitId, egressRequestId, by) {
      const done = await deps.records.findRelease(permitId, egressRequestId);
      if (done) {
        // Recorded: put back a metadata object a crash or an older version left out, unless the files are gone (deleted at closure).
        if ((await deps.airlock.list(permitId, 'released', { prefix: egressRequestId })).length > 0) await writeMetadata(permitId, egressRequestId, done, by, false);
        return done;
      }
      const facts = await deps.records.releaseFacts(permitId, egressRequestId);
      const files = facts.request.files.filter((f) => !f.supporting);
      if (files.length === 0) throw new ValidationError(`Output request ${egressRequestId} has no file to release (only supporting files).`);
      const reserved = files.filter((f) => RELEASE_METADATA_FILES.includes(f.path));
      if (reserved.length > 0) throw new ValidationError(`Output request ${egressRequestId} names files the release writes itself: ${reserved.map((f) => f.path).join(', ')}.`);
      // The bytes reviewed are the bytes released: outputs must still hold what was checked at submission.
      for (const file of files) {
        const object = await deps.airlock.stat({ permitId, zone: 'outputs', path: file.path });
        const checked = facts.checks.get(file.path);
        if (!object) throw new ConflictError(`${file.path} is no longer in the outputs of permit ${permitId}; nothing was released. Ask the research team to put it back and submit the request again.`, { path: file.path });
        if (checked && checked.sha256 !== object.sha256) {
          throw new ConflictError(`${file.path} changed after it was reviewed (sha256 ${object.sha256}, reviewed ${checked.sha256}); nothing was released. The request must be submitted and reviewed again.`, { path: file.path });
        }
      }
      const released = await deps.airlock.transition({ permitId, from: 'outputs', to: 'released', paths: files.map((f) => f.path), by, outputRequestId: egressRequestId, targetPrefix: egressRequestId });
      const byPath = new Map(released.map((o) => [o.path.slice(egressRequestId.length + 1), o]));
      const description: ReleaseDescription = {
        baseUrl: deps.baseUrl,
        platform,
        permit: facts.permit,
        request: { id: egressRequestId, title: facts.request.title, submittedBy: facts.request.submittedBy, createdAt: facts.request.createdAt },
        team: facts.team,
        deliveries: facts.deliveries,
        workspace: { name: `Workspace of permit ${permitId}`, description: 'The analysis workspace of the permit: no internet, data mounted read-only, outputs leave only through output review.' },
        files: files.map((file) => {
          const object = byPath.get(file.path);
          if (!object) throw new ConflictError(`The release of ${file.path} did not arrive in the released zone; the job will try again.`);
          const checked = facts.checks.get(file.path);
          if (checked && checked.sha256 !== object.sha256) throw new ConflictError(`The released copy of ${file.path} is not the reviewed bytes.`);
          return { path: file.path, sha256: object.sha256, sizeBytes: object.sizeBytes, mediaType: mediaTypeOf(file.path), description: file.description, check: checked?.result };
        }),
        reviews: facts.reviews,
        releasedAt: facts.reviews.filter((r) => r.decision === 'APPROVED').map((r) => r.decidedAt).sort().at(-1) ?? facts.request.updatedAt,
      };
      const crate = buildReleaseCrate(description);
      const problems = validateReleaseCrate(crate.crate, description.files);
      if (problems.length > 0) throw new Error(`The release crate of ${egressRequestId} is not valid: ${problems.join('; ')}`);
      const metadata: StoredReleaseMetadata = {
        crate: (crate.files[CRATE_FILE] as Buffer).toString(),
        manifest: (crate.files[MANIFEST_FILE] as Buffer).toString(),
        checks: (crate.files[CHECKS_FILE] as Buffer).toString(),
      };
      // Not yet recorded, so never served: bytes an earlier attempt wrote differently (a team change since) are replaced.
      await writeMetadata(permitId, egressRequestId, metadata, by, true);
      return deps.records.recordRelease({
        egressRequestId,
        permitId,
        releasedAt: description.releasedAt,
        files: description.files.map((f) => ({ path: f.path, sha256: f.sha256, sizeBytes: f.sizeBytes, mediaType: f.mediaType })),
        ...metadata,
      });
    },
  };

  /** The three metadata files as objects in released/<request id>/, each written once (same bytes: nothing changes). */
  async function writeMetadata(permitId: string, egressRequestId: string, metadata: StoredReleaseMetadata, by: string, replace: boolean): Promise<void> {
    for (const [name, text] of releaseMetadataFiles(metadata)) {
      await deps.airlock.putGenerated({ permitId, zone: 'released', path: `${egressRequestId}/${name}`, putBy: by, body: Buffer.from(text), outputRequestId: egressRequestId, replace });
    }
  }
}

/** The metadata files of a release by name, in the order they are listed. */
export function releaseMetadataFiles(metadata: StoredReleaseMetadata): [string, string][] {
  return [
    [CRATE_FILE, metadata.crate],
    [MANIFEST_FILE, metadata.manifest],
    [CHECKS_FILE, metadata.checks],
  ];
}
