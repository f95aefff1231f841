/**
 * The workspace's outputs zone: what is there (size, sha256, who put it), and for the research team during
 * analysis a form to put a file there (what the workspace's outputs sync does where there is no Kubernetes).
 */
import { useState } from 'react';
import { apiBytes } from '../../api/client';
import type { OutputFile } from '../../api/types';
import { ProblemMessage, Section } from '../../components/ui';
import { when } from '../../format';
import { fileSize, shortSha } from './file-size';

export function OutputsZone({ permitId, files, canPut, closed, onChange }: { permitId: string; files: OutputFile[] | undefined; canPut: boolean; closed: boolean; onChange: () => void }) {
  const [file, setFile] = useState<File>();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <Section title="Files in outputs">
      {!files || files.length === 0 ? (
        <p>{closed ? 'The outputs zone was emptied when the permit\'s data was deleted at closure.' : 'No files in outputs yet.'}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Put there</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path}>
                <td>
                  <code>{f.path}</code>
                </td>
                <td className="size">{fileSize(f.sizeBytes)}</td>
                <td className="sha" title={f.sha256}>
                  <code>{shortSha(f.sha256)}</code>
                </td>
                <td>
                  {f.putBy}, {when(f.putAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canPut ? (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            if (!file) return;
            setBusy(true);
            setError(undefined);
            const target = path.trim() || file.name;
            apiBytes(`/permits/${permitId}/outputs?path=${encodeURIComponent(target)}`, { method: 'PUT', body: file, contentType: 'application/octet-stream' }).then(
              () => {
                setBusy(false);
                setFile(undefined);
                setPath('');
                onChange();
              },
              (err: unknown) => {
                setBusy(false);
                setError(err);
              },
            );
          }}
        >
          <label htmlFor="output-file">Put a file into outputs</label>
          <input id="output-file" type="file" required onChange={(e) => setFile(e.target.files?.[0])} />
          <label htmlFor="output-path">Path under /outputs (default: the file&apos;s name)</label>
          <input id="output-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="tables/table1.csv" />
          <ProblemMessage error={error} label="The file was not put into outputs" />
          <div>
            <button type="submit" disabled={busy || !file}>
              {busy ? 'Putting the file into outputs…' : 'Put into outputs'}
            </button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}
