/**
 * A data holder uploads a delivery's file into the permit's quarantine with tus (resumable: an interrupted upload
 * carries on from where the server has it), while the browser computes the file's SHA-256 for the manifest. When
 * the upload is complete the manifest fields below are filled with the path, checksum and size to confirm.
 */
import { useRef, useState } from 'react';
import { Upload } from 'tus-js-client';
import { ApiError } from '../../api/client';
import { accessToken } from '../../auth/session';
import { ProblemMessage, Section } from '../../components/ui';

export interface UploadedFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function UploadFiles({ permitId, onUploaded }: { permitId: string; onUploaded: (file: UploadedFile) => void }) {
  const [file, setFile] = useState<File>();
  const [path, setPath] = useState('');
  const [progress, setProgress] = useState<number>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const running = useRef<Upload | undefined>(undefined);
  return (
    <Section title="Upload a file">
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          const target = path.trim() || file.name;
          setError(undefined);
          setDone(undefined);
          setProgress(0);
          void (async () => {
            const [token, sha256] = await Promise.all([accessToken(), sha256Hex(file)]);
            const upload = new Upload(file, {
              endpoint: `/api/permits/${permitId}/ingress/files`,
              headers: token ? { authorization: `Bearer ${token}` } : {},
              metadata: { relativePath: target, filename: file.name },
              chunkSize: 8 * 1024 * 1024,
              retryDelays: [0, 1000, 3000, 5000],
              onProgress: (sent, total) => setProgress(total > 0 ? Math.round((100 * sent) / total) : 100),
              onError: (err) => {
                const detail = (err as { originalResponse?: { getBody(): string } }).originalResponse?.getBody();
                let problem: Record<string, unknown> = { detail: err.message };
                try {
                  if (detail) problem = JSON.parse(detail) as Record<string, unknown>;
                } catch {
                  // not problem+json: keep the client's message
                }
                setProgress(undefined);
                setError(new ApiError(0, problem));
              },
              onSuccess: () => {
                setProgress(undefined);
                setDone(target);
                onUploaded({ path: target, sha256, sizeBytes: file.size });
              },
            });
            running.current = upload;
            const previous = await upload.findPreviousUploads();
            if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
            upload.start();
          })().catch(setError);
        }}
      >
        <label htmlFor="upload-file">File to upload</label>
        <input id="upload-file" type="file" required onChange={(e) => setFile(e.target.files?.[0])} />
        <label htmlFor="upload-path">Path in the delivery (default: the file&apos;s name)</label>
        <input id="upload-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="cohort/extract.csv" />
        <ProblemMessage error={error} label="The upload was refused" />
        {progress !== undefined ? (
          <p role="status">
            Uploading… <progress max={100} value={progress} aria-label="Upload progress" /> {progress} %
          </p>
        ) : null}
        {done ? <p role="status">Uploaded {done}: its path, SHA-256 and size are filled in below; confirm the upload.</p> : null}
        <div>
          <button type="submit" disabled={!file || progress !== undefined}>
            Upload
          </button>
        </div>
      </form>
    </Section>
  );
}
