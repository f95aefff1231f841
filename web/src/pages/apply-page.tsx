/** Apply for a permit: a draft is created, then edited or submitted from the permit page. The form is kept as a draft. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { PermitView } from '../api/types';
import { useDraft } from '../drafts';
import { ApplicationForm, endOfDay } from './apply/application-form';

const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);

export function ApplyPage() {
  const navigate = useNavigate();
  const [form, setForm, clearDraft, restored] = useDraft('apply', { title: '', purpose: '', validUntil: inAYear(), members: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <h1>Apply for a permit</h1>
      <p>Your application is saved as a draft; you can still edit it, and you submit it to the HDAB from its page.</p>
      {restored ? (
        <p className="note" role="status">
          Your earlier, unsent input was restored.
        </p>
      ) : null}
      <ApplicationForm
        form={form}
        setForm={setForm}
        busy={busy}
        error={error}
        errorLabel="The application was not created"
        submitLabel="Create draft"
        busyLabel="Creating draft…"
        cancelTo="/permits"
        withMembers
        onSubmit={() => {
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
            validUntil: endOfDay(form.validUntil),
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
      />
    </>
  );
}
