/**
 * The permit's releases: each approved request's files and its metadata (RO-Crate, manifest, check results); the
 * research team downloads them (each download is audited). After the permit's data was deleted at closure, a release
 * still lists its files and checksums for the record, says when they were deleted and with which proof, and offers
 * no download.
 */
import { useState } from 'react';
import { downloadFile } from '../../api/client';
import type { Release } from '../../api/types';
import { ProblemMessage, Section } from '../../components/ui';
import { when } from '../../format';
import { fileSize, shortSha } from './file-size';

export function ReleasesSection({ permitId, releases, canDownload, only }: { permitId: string; releases: Release[] | undefined; canDownload: boolean; only?: string }) {
  const [error, setError] = useState<unknown>();
  const shown = (releases ?? []).filter((r) => !only || r.egressRequestId === only);
  if (shown.length === 0) return null;
  return (
    <Section title="Released files">
      <p>
        {canDownload
          ? 'Each download is recorded in the permit\'s audit trail.'
          : 'Only the research team downloads released files.'}
      </p>
      <ProblemMessage error={error} label="The download was refused" />
      {shown.map((release) => (
        <div key={release.egressRequestId}>
          <h3>
            {release.title} <small className="muted">released {when(release.releasedAt)}</small>
          </h3>
          {release.deletedAtClosure ? (
            <p role="status">
              <strong>Deleted at closure.</strong> These files were deleted with the rest of the permit's data on {when(release.deletedAtClosure.deletedAt)}; they are listed
              here for the record and can no longer be downloaded. Proof of deletion <code title={release.deletedAtClosure.proofOfDeletion}>{shortSha(release.deletedAtClosure.proofOfDeletion.replace(/^sha256:/, ''))}</code>,
              audit entry #{release.deletedAtClosure.auditSeq}.
            </p>
          ) : null}
          <table>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                {canDownload && !release.deletedAtClosure ? <th scope="col">Download</th> : null}
              </tr>
            </thead>
            <tbody>
              {[...release.files, ...release.metadata].map((f) => (
                <tr key={f.path}>
                  <td>
                    <code>{f.path}</code>
                  </td>
                  <td className="size">{fileSize(f.sizeBytes)}</td>
                  <td className="sha" title={f.sha256}>
                    <code>{shortSha(f.sha256)}</code>
                  </td>
                  {canDownload && !release.deletedAtClosure ? (
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => {
                          setError(undefined);
                          downloadFile(`/permits/${permitId}/releases/${release.egressRequestId}/download?path=${encodeURIComponent(f.path)}`, f.path.split('/').at(-1) ?? 'file').catch(setError);
                        }}
                      >
                        Download <span className="visually-hidden">{f.path}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Section>
  );
}
