/**
 * Edit a DRAFT application (`PATCH /api/permits/{id}` with the ETag read, so an edit made meanwhile elsewhere is
 * refused rather than overwritten): the apply form, prefilled; kept as a draft in sessionStorage like every form;
 * the API's refusal shown as it words it. Saved, it returns to the permit's page, where the applicant submits it.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import type { PermitView } from '../api/types';
import { Loading, ProblemMessage } from '../components/ui';
import { useDraft } from '../drafts';
import { useApi } from '../use-api';
import { ApplicationForm, endOfDay, type ApplicationFields } from './apply/application-form';

export function EditDraftPage() {
  const { id = '' } = useParams();
  const permit = useApi<PermitView>(`/permits/${encodeURIComponent(id)}`);
  const p = permit.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/permits">Permits</Link> / {p ? <Link to={`/permits/${p.id}`}>{p.title}</Link> : null}
      </p>
      <h1>Edit your application</h1>
      {permit.error ? <ProblemMessage error={permit.error} /> : null}
      {!p && !permit.error ? <Loading what="the application" /> : null}
      {p && !p.allowedActions.includes('edit-draft') ? (
        <p role="status">
          This application can no longer be edited: it is {p.status.toLowerCase().replaceAll('_', ' ')}. <Link to={`/permits/${p.id}`}>Back to the permit</Link>
        </p>
      ) : null}
      {p?.allowedActions.includes('edit-draft') ? <EditForm permit={p} /> : null}
    </>
  );
}

function fieldsOf(permit: PermitView): ApplicationFields {
  return { title: permit.title, purpose: permit.purpose, validUntil: (permit.validUntil ?? '').slice(0, 10), members: '' };
}

function EditForm({ permit }: { permit: PermitView }) {
  const navigate = useNavigate();
  const saved = fieldsOf(permit);
  const [form, setForm, clearDraft, restored] = useDraft<ApplicationFields>(`edit:${permit.id}`, saved);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <p>Change what you need, save, then submit the application from its page. Only the research team sees a draft.</p>
      {restored ? (
        <p className="note" role="status">
          Your earlier, unsaved changes were restored.
        </p>
      ) : null}
      <ApplicationForm
        form={form}
        setForm={setForm}
        busy={busy}
        error={error}
        errorLabel="Your changes were not saved"
        submitLabel="Save changes"
        busyLabel="Saving…"
        cancelTo={`/permits/${permit.id}`}
        onCancel={clearDraft}
        withMembers={false}
        onSubmit={() => {
          setBusy(true);
          setError(undefined);
          const body = {
            title: form.title,
            purpose: form.purpose,
            // The day unchanged keeps the exact end of validity the permit has.
            ...(form.validUntil !== saved.validUntil ? { validUntil: endOfDay(form.validUntil) } : {}),
          };
          api<PermitView>('PATCH', `/permits/${permit.id}`, body, { 'if-match': `"${permit.version}"` }).then(
            () => {
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
