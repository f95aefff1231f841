/**
 * The application's fields, as the apply page and the draft's edit page show them. The caller keeps the values
 * (with `useDraft`, so a half-filled form survives the end of a session) and sends them.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ProblemMessage } from '../../components/ui';

export interface ApplicationFields {
  title: string;
  purpose: string;
  /** yyyy-mm-dd, as the date input holds it. */
  validUntil: string;
  /** Further research-team members, comma- or space-separated (applying only). */
  members: string;
}

interface Props {
  form: ApplicationFields;
  setForm: (next: ApplicationFields) => void;
  onSubmit: () => void;
  busy: boolean;
  error: unknown;
  errorLabel: string;
  submitLabel: string;
  busyLabel: string;
  cancelTo: string;
  /** Called when the person cancels (e.g. to drop the kept draft). */
  onCancel?: () => void;
  /** Show the further-members field (the team of an existing permit changes on its page, by the HDAB). */
  withMembers: boolean;
  children?: ReactNode;
}

/** The end of validity the form sends for a chosen day: its last second, UTC. */
export function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59Z`).toISOString();
}

export function ApplicationForm({ form, setForm, onSubmit, busy, error, errorLabel, submitLabel, busyLabel, cancelTo, onCancel, withMembers }: Props) {
  const set = (field: keyof ApplicationFields) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
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
      {withMembers ? (
        <>
          <label htmlFor="members">Further research-team members (user ids, optional)</label>
          <input id="members" value={form.members} onChange={set('members')} placeholder="e.g. bob, carol" />
        </>
      ) : null}
      <ProblemMessage error={error} label={errorLabel} />
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <Link to={cancelTo} onClick={onCancel}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
