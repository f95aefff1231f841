/** The actions the API allows the person now, each with the few fields it needs. */
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { PermitView } from '../../api/types';
import { ActionButton, ProblemMessage, Section } from '../../components/ui';
import { useDraft } from '../../drafts';

interface Props {
  permit: PermitView;
  onChanged: () => void;
}

export function PermitActions({ permit, onChanged }: Props) {
  const allowed = new Set(permit.allowedActions);
  const path = `/permits/${permit.id}`;
  const has = (action: string) => allowed.has(action);
  const any = ['submit', 'edit-draft', 'withdraw', 'provide-info', 'initiate-ingress', 'confirm-upload', 'submit-setup-for-review', 'create-egress-request', 'close', 'suspend', 'resume', 'revoke', 'request-amendment'].some(has);
  return (
    <Section title="What you can do now" id="actions">
      {!any ? <p>Nothing is waiting for you on this permit right now.</p> : null}
      <div className="actions">
        {has('edit-draft') ? (
          <Link className="button secondary" to={`${path}/edit`}>
            Edit application
          </Link>
        ) : null}
        {has('submit') ? <ActionButton label="Submit application" run={() => api('POST', `${path}/submit`, undefined, { 'if-match': `"${permit.version}"` })} onDone={onChanged} /> : null}
        {has('confirm-upload') ? (
          <Link className="button" to={`${path}/ingress`}>
            Deliver data
          </Link>
        ) : null}
        {has('submit-setup-for-review') ? (
          <Link className="button" to={`${path}/workspace`}>
            Submit workspace setup for review
          </Link>
        ) : null}
        {has('create-egress-request') ? (
          <Link className="button" to={`${path}/outputs`}>
            Request release of outputs
          </Link>
        ) : null}
        {has('resume') ? <ActionButton label="Resume" run={() => api('POST', `${path}/resume`, {})} onDone={onChanged} /> : null}
      </div>
      {has('provide-info') ? <TextAction permit={permit} name="provide-info" label="Send the requested information" field="response" fieldLabel="Your answer to the HDAB" endpoint="info" onChanged={onChanged} /> : null}
      {has('initiate-ingress') ? <IngressAction permit={permit} onChanged={onChanged} /> : null}
      {has('close') ? <TextAction permit={permit} name="close" label="Close the permit" field="reason" fieldLabel="Why close it now (optional)" endpoint="close" optional onChanged={onChanged} /> : null}
      {has('request-amendment') ? <AmendmentAction permit={permit} onChanged={onChanged} /> : null}
      {has('withdraw') ? <TextAction permit={permit} name="withdraw" label="Withdraw the application" field="reason" fieldLabel="Reason for withdrawing (optional)" endpoint="withdraw" optional danger onChanged={onChanged} /> : null}
      {has('suspend') ? <TextAction permit={permit} name="suspend" label="Suspend" field="reason" fieldLabel="Reason for suspending" endpoint="suspend" danger onChanged={onChanged} /> : null}
      {has('revoke') ? <TextAction permit={permit} name="revoke" label="Revoke" field="reason" fieldLabel="Reason for revoking" endpoint="revoke" danger onChanged={onChanged} /> : null}
    </Section>
  );
}

function TextAction(props: Props & { name: string; label: string; field: string; fieldLabel: string; endpoint: string; optional?: boolean; danger?: boolean }) {
  const [draft, setDraft, clear] = useDraft(`${props.permit.id}:${props.name}`, { text: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = `${props.name}-text`;
  return (
    <details className="action-form">
      <summary>{props.label}</summary>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          const body = draft.text.trim() ? { [props.field]: draft.text.trim() } : {};
          api('POST', `/permits/${props.permit.id}/${props.endpoint}`, body).then(
            () => {
              clear();
              setDraft({ text: '' });
              setBusy(false);
              props.onChanged();
            },
            (err: unknown) => {
              setBusy(false);
              setError(err);
            },
          );
        }}
      >
        <label htmlFor={id}>{props.fieldLabel}</label>
        <textarea id={id} rows={3} required={!props.optional} value={draft.text} onChange={(e) => setDraft({ text: e.target.value })} />
        <ProblemMessage error={error} label={`${props.label} was refused`} />
        <div>
          <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {props.label}
          </button>
        </div>
      </form>
    </details>
  );
}

function IngressAction({ permit, onChanged }: Props) {
  const [draft, setDraft, clear] = useDraft(`${permit.id}:ingress`, { holders: '' });
  const [error, setError] = useState<unknown>();
  return (
    <details className="action-form" open>
      <summary>Ask data holders to deliver</summary>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          const dataHolders = draft.holders.split(/[\s,]+/).filter(Boolean);
          api('POST', `/permits/${permit.id}/ingress`, { dataHolders }).then(
            () => {
              clear();
              onChanged();
            },
            (err: unknown) => setError(err),
          );
        }}
      >
        <label htmlFor="data-holders">Data holders (user ids, comma-separated)</label>
        <input id="data-holders" required value={draft.holders} onChange={(e) => setDraft({ holders: e.target.value })} />
        <ProblemMessage error={error} label="The data request was refused" />
        <div>
          <button type="submit">Request the data</button>
        </div>
      </form>
    </details>
  );
}

function AmendmentAction({ permit, onChanged }: Props) {
  const [draft, setDraft, clear] = useDraft(`${permit.id}:amendment`, { summary: '', validUntil: '', addResearcher: '' });
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  return (
    <details className="action-form">
      <summary>Request an amendment</summary>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          const addMembers = draft.addResearcher.split(/[\s,]+/).filter(Boolean).map((userId) => ({ userId, teamRole: 'RESEARCH_TEAM' }));
          api('POST', `/permits/${permit.id}/amendments`, {
            summary: draft.summary,
            ...(draft.validUntil ? { validUntil: draft.validUntil } : {}),
            ...(addMembers.length > 0 ? { addMembers } : {}),
          }).then(
            () => {
              clear();
              setSent(true);
              onChanged();
            },
            (err: unknown) => setError(err),
          );
        }}
      >
        <label htmlFor="amend-summary">What should change and why</label>
        <textarea id="amend-summary" rows={3} required value={draft.summary} onChange={(e) => setDraft({ ...draft, summary: e.target.value })} />
        <label htmlFor="amend-valid">New end date (optional)</label>
        <input id="amend-valid" type="date" value={draft.validUntil} onChange={(e) => setDraft({ ...draft, validUntil: e.target.value })} />
        <label htmlFor="amend-members">Researchers to add (user ids, optional)</label>
        <input id="amend-members" value={draft.addResearcher} onChange={(e) => setDraft({ ...draft, addResearcher: e.target.value })} />
        <ProblemMessage error={error} label="The amendment was refused" />
        {sent ? <p role="status">Amendment sent to the HDAB for review.</p> : null}
        <div>
          <button type="submit">Send amendment</button>
        </div>
      </form>
    </details>
  );
}
