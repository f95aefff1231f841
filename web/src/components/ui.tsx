/** Small building blocks every page uses: problems shown as the API words them, loading, status badges. */
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { words } from '../format';

/** A refusal as the API words it (title, detail, field errors): nothing was changed, here is what to do. */
export function ProblemMessage({ error, label }: { error: unknown; label?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { detail: error instanceof Error ? error.message : String(error) };
  return (
    <div className="problem" role="alert">
      <p>
        <strong>{label ?? problem.title ?? 'That did not work'}</strong>
        {problem.detail ? `: ${problem.detail}` : ''}
      </p>
      {Array.isArray(problem.errors) && problem.errors.length > 0 ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{words(status)}</span>;
}

/** A button that runs one API call, shows "working" while it runs and the problem if it is refused. */
export function ActionButton({ label, run, onDone, kind = 'primary', disabled }: { label: string; run: () => Promise<unknown>; onDone?: () => void; kind?: 'primary' | 'secondary' | 'danger'; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <span className="action">
      <button
        type="button"
        className={kind}
        disabled={busy || disabled}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          run().then(
            () => {
              setBusy(false);
              onDone?.();
            },
            (err: unknown) => {
              setBusy(false);
              setError(err);
            },
          );
        }}
      >
        {busy ? `${label}…` : label}
      </button>
      <ProblemMessage error={error} label={`${label} was refused`} />
    </span>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
