/** Apply for a permit: a draft is created, then submitted from the permit page. The form is kept as a draft. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { PermitView } from '../api/types';
import { ProblemMessage } from '../components/ui';
import { useDraft } from '../drafts';

const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);

export function ApplyPage() {
  const navigate = useNavigate();
  const [form, setForm, clearDraft, restored] = useDraft('apply', { title: '', purpose: '', validUntil: inAYear(), members: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  return (
    <>
      <h1>Apply for a permit</h1>
      <p>Your application is saved as a draft; you submit it to the HDAB from its page.</p>
      {restored ? (
        <p className="note" role="status">
          Your earlier, unsent input was restored.
        </p>
      ) : null}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          const members = form.members
            .split(/[\s,]+/)
            .map((m) => m.trim())
            .filter(Boolean)
            .map((userId) => ({ userId }));
          api<PermitView>('POST', '/permits', {
            title: form.title,
            purpose: form.purpose,
            validUntil: new Date(`${form.validUntil}T23:59:59Z`).toISOString(),
            ...(members.length > 0 ? { members } : {}),
          }).then(
            (permit) => {
              clearDraft();
              void navigate(`/permits/${permit.id}`);
            },
            (err: unknown) => {
              setBusy(false);
              setError(err);
            },
          );
        }}
      >
        <label htmlFor="title">Title</label>
        <input id="title" required minLength={3} maxLength={200} value={form.title} onChange={set('title')} />
        <label htmlFor="purpose">Purpose</label>
        <p className="hint" id="purpose-hint">
          What you will study and why you need these data (at least 10 characters).
        </p>
        <textarea id="purpose" aria-describedby="purpose-hint" required minLength={10} rows={6} value={form.purpose} onChange={set('purpose')} />
        <label htmlFor="valid-until">Valid until</label>
        <input id="valid-until" type="date" required value={form.validUntil} onChange={set('validUntil')} />
        <label htmlFor="members">Further research-team members (user ids, optional)</label>
        <input id="members" value={form.members} onChange={set('members')} placeholder="e.g. bob, carol" />
        <ProblemMessage error={error} label="The application was not created" />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating draft…' : 'Create draft'}
          </button>
          <Link to="/permits">Cancel</Link>
        </div>
      </form>
    </>
  );
}
