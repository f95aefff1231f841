/** The permit's releases: each approved request's files and its metadata (RO-Crate, manifest, check results); the research team downloads them (each download is audited). */
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
          <table>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                {canDownload ? <th scope="col">Download</th> : null}
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
                  {canDownload ? (
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
