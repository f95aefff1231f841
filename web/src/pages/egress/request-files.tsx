/**
 * An output request's files: size, sha256, the automated disclosure checks' status and summary, and for the HDAB
 * team (the reviewers) a preview of each submitted file: a table with the cells the checks flag marked, a text,
 * or an image. Checks advise; reviewers decide.
 */
import { useEffect, useState } from 'react';
import { api, apiBytes } from '../../api/client';
import type { DisclosureCheck, FilePreview, RequestFile } from '../../api/types';
import { Loading, ProblemMessage, StatusBadge } from '../../components/ui';
import { when } from '../../format';
import { fileSize, shortSha } from './file-size';

const CHECK_LABEL: Record<string, string> = { pass: 'Checks pass', fail: 'Checks flag cells', review: 'Review by eye' };

export function RequestFiles({ permitId, requestId, files, reviewer }: { permitId: string; requestId: string; files: RequestFile[]; reviewer: boolean }) {
  const [open, setOpen] = useState<string>();
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Disclosure checks</th>
            {reviewer ? <th scope="col">Preview</th> : null}
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.path}>
              <td>
                <code>{f.path}</code>
                {f.description ? ` — ${f.description}` : ''}
                {f.supporting ? <em> (supporting file, not released)</em> : null}
                {f.deletedAtClosure ? (
                  <strong> Deleted with the permit's data at closure, {when(f.deletedAtClosure.deletedAt)}</strong>
                ) : f.unchanged === false ? (
                  <strong className="danger">{f.inOutputs ? ' Changed in outputs since submission' : ' No longer in outputs'}</strong>
                ) : null}
              </td>
              <td className="size">{fileSize(f.sizeBytes)}</td>
              <td className="sha" title={f.sha256 ?? ''}>
                <code>{shortSha(f.sha256)}</code>
              </td>
              <td>
                {f.check ? (
                  <>
                    <StatusBadge status={`check_${f.check.status}`} /> {CHECK_LABEL[f.check.status]}
                    <br />
                    <small>{f.check.summary}</small>
                  </>
                ) : (
                  <small>Checked when the request is submitted</small>
                )}
              </td>
              {reviewer ? (
                <td>
                  {f.check ? (
                    <button type="button" className="secondary" aria-expanded={open === f.path} onClick={() => setOpen(open === f.path ? undefined : f.path)}>
                      {open === f.path ? 'Hide' : 'Preview'} <span className="visually-hidden">{f.path}</span>
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {open ? <PreviewPanel permitId={permitId} requestId={requestId} file={files.find((f) => f.path === open) as RequestFile} /> : null}
    </>
  );
}

function PreviewPanel({ permitId, requestId, file }: { permitId: string; requestId: string; file: RequestFile }) {
  const [preview, setPreview] = useState<FilePreview>();
  const [image, setImage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const query = `path=${encodeURIComponent(file.path)}`;
  useEffect(() => {
    let url: string | undefined;
    let current = true;
    setPreview(undefined);
    setImage(undefined);
    api<FilePreview>('GET', `/permits/${permitId}/egress-requests/${requestId}/files/preview?${query}`)
      .then(async (p) => {
        if (!current) return;
        setPreview(p);
        if (p.kind === 'image') {
          const blob = await (await apiBytes(`/permits/${permitId}/egress-requests/${requestId}/files/content?${query}`)).blob();
          url = URL.createObjectURL(blob);
          if (current) setImage(url);
        }
      })
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [permitId, requestId, query]);
  return (
    <section className="card preview" aria-label={`Preview of ${file.path}`}>
      <h3>
        Preview of <code>{file.path}</code>
      </h3>
      <ProblemMessage error={error} label="No preview" />
      {!preview && !error ? <Loading what="the preview" /> : null}
      {preview?.kind === 'table' ? <PreviewTable preview={preview} check={file.check} /> : null}
      {preview?.kind === 'text' ? <pre className="text-preview">{preview.text}</pre> : null}
      {preview?.kind === 'image' && image ? <img src={image} alt={`Output image ${file.path} as submitted`} className="image-preview" /> : null}
      {preview?.kind === 'none' ? <p>{preview.reason}</p> : null}
      {preview?.truncated ? <p className="muted">Only the beginning of the file is shown.</p> : null}
      {file.check && file.check.findings.length > 0 ? (
        <>
          <h4>What the checks flag</h4>
          <ul>
            {file.check.findings.map((f) => (
              <li key={`${f.rule}:${f.row}:${f.column}`}>
                <strong>{f.rule}</strong> at {f.rowLabel} / {f.columnLabel} ({f.value}): {f.message}
              </li>
            ))}
          </ul>
          {file.check.findingsOmitted > 0 ? <p className="muted">{file.check.findingsOmitted} more in the check result.</p> : null}
        </>
      ) : null}
    </section>
  );
}

function PreviewTable({ preview, check }: { preview: FilePreview; check: DisclosureCheck | null }) {
  const flagged = new Map<string, string[]>();
  for (const [rule, cells] of Object.entries(check?.sdc.cells ?? {})) for (const [r, c] of cells) flagged.set(`${r}:${c}`, [...(flagged.get(`${r}:${c}`) ?? []), rule]);
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            {(preview.header ?? []).map((h, i) => (
              <th scope="col" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(preview.rows ?? []).map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => {
                const rules = flagged.get(`${r}:${c}`);
                return (
                  <td key={c} className={rules ? 'flagged' : undefined} title={rules ? `Flagged: ${rules.join(', ')}` : undefined}>
                    {cell}
                    {rules ? <span className="visually-hidden"> (flagged: {rules.join(', ')})</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
