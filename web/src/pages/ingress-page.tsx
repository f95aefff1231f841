/** The permit's data delivery: instructions and, for a data holder, the form to confirm an upload with its manifest. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { Member, PermitView } from '../api/types';
import { Loading, ProblemMessage, Section, StatusBadge } from '../components/ui';
import { useDraft } from '../drafts';
import { useLiveEvents } from '../events';
import { useApi } from '../use-api';
import { UploadFiles } from './ingress/upload-files';

export function IngressPage() {
  const { id = '' } = useParams();
  const permit = useApi<PermitView>(`/permits/${id}`);
  const members = useApi<Member[]>(`/permits/${id}/members`);
  useLiveEvents(() => permit.reload(), (e) => e.permitId === id);
  const [draft, setDraft, clear] = useDraft(`${id}:delivery`, { path: '', sha256: '', sizeBytes: '', note: '' });
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const p = permit.data;
  const holders = members.data?.filter((m) => m.teamRole === 'DATA_HOLDER') ?? [];
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> / {p ? <Link to={`/permits/${id}`}>{p.title}</Link> : null} /
      </p>
      <h1>Data delivery</h1>
      <ProblemMessage error={permit.error} />
      {!p ? <Loading what="the permit" /> : null}
      {p ? (
        <Section title="State">
          <p>
            Permit status: <StatusBadge status={p.status} />
          </p>
          <p>Data holders asked to deliver: {holders.length === 0 ? 'none yet' : holders.map((h) => h.userId).join(', ')}.</p>
          <p>
            Upload each file below (resumable: an interrupted upload carries on), then confirm the upload with its path, SHA-256 and size. The files wait in quarantine
            while the platform compares them with your manifest and scans them for malware, and tells the HDAB.
          </p>
        </Section>
      ) : null}
      {p?.allowedActions.includes('confirm-upload') ? (
        <UploadFiles permitId={id} onUploaded={(file) => setDraft({ ...draft, path: file.path, sha256: file.sha256, sizeBytes: String(file.sizeBytes) })} />
      ) : null}
      {p?.allowedActions.includes('confirm-upload') ? (
        <Section title="Confirm your upload">
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              setError(undefined);
              api('POST', `/permits/${id}/ingress/uploads`, {
                manifest: { files: [{ path: draft.path.trim(), sha256: draft.sha256.trim().toLowerCase(), sizeBytes: Number(draft.sizeBytes) }], ...(draft.note.trim() ? { note: draft.note.trim() } : {}) },
              }).then(
                () => {
                  clear();
                  setSent(true);
                  permit.reload();
                },
                (err: unknown) => setError(err),
              );
            }}
          >
            <label htmlFor="file-path">File path</label>
            <input id="file-path" required value={draft.path} onChange={(e) => setDraft({ ...draft, path: e.target.value })} placeholder="cohort/extract.csv" />
            <label htmlFor="file-sha">SHA-256 (64 hex characters)</label>
            <input id="file-sha" required pattern="[0-9a-fA-F]{64}" value={draft.sha256} onChange={(e) => setDraft({ ...draft, sha256: e.target.value })} />
            <label htmlFor="file-size">Size in bytes</label>
            <input id="file-size" required type="number" min={0} value={draft.sizeBytes} onChange={(e) => setDraft({ ...draft, sizeBytes: e.target.value })} />
            <label htmlFor="file-note">Note (optional)</label>
            <input id="file-note" value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
            <ProblemMessage error={error} label="The upload was not confirmed" />
            <div>
              <button type="submit">Confirm upload</button>
            </div>
          </form>
        </Section>
      ) : null}
      {sent ? <p role="status">Upload confirmed: the platform is checking the files.</p> : null}
    </>
  );
}
