/** The permit's team by role; the HDAB team (and administrators) may add and remove members within the team rules. */
import { useState } from 'react';
import { api } from '../../api/client';
import type { Member, PermitView, TeamRole } from '../../api/types';
import { ActionButton, Loading, ProblemMessage, Section } from '../../components/ui';
import { useLiveEvents } from '../../events';
import { useApi } from '../../use-api';

const ROLES: Array<{ role: TeamRole; label: string }> = [
  { role: 'RESEARCH_TEAM', label: 'Research team' },
  { role: 'HDAB_TEAM', label: 'HDAB team' },
  { role: 'DATA_HOLDER', label: 'Data holders' },
];

export function TeamSection({ permit }: { permit: PermitView }) {
  const members = useApi<Member[]>(`/permits/${permit.id}/members`);
  useLiveEvents(() => members.reload(), (e) => e.permitId === permit.id && e.name.startsWith('permit.members'));
  const manage = permit.allowedActions.includes('manage-members');
  const [userId, setUserId] = useState('');
  const [teamRole, setTeamRole] = useState<TeamRole>('RESEARCH_TEAM');
  const [error, setError] = useState<unknown>();
  return (
    <Section title="Team">
      {members.loading && !members.data ? <Loading what="the team" /> : null}
      <ProblemMessage error={members.error} />
      {members.data
        ? ROLES.map(({ role, label }) => {
            const list = members.data?.filter((m) => m.teamRole === role) ?? [];
            return (
              <div key={role}>
                <h3>{label}</h3>
                {list.length === 0 ? (
                  <p className="muted">Nobody yet.</p>
                ) : (
                  <ul className="plain">
                    {list.map((m) => (
                      <li key={`${m.userId}:${m.teamRole}`}>
                        {m.userId}{' '}
                        {manage ? (
                          <ActionButton kind="secondary" label={`Remove ${m.userId}`} run={() => api('DELETE', `/permits/${permit.id}/members/${encodeURIComponent(m.userId)}/${m.teamRole}`)} onDone={members.reload} />
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })
        : null}
      {manage ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            setError(undefined);
            api('POST', `/permits/${permit.id}/members`, { userId, teamRole }).then(
              () => {
                setUserId('');
                members.reload();
              },
              (err: unknown) => setError(err),
            );
          }}
        >
          <label htmlFor="member-id">User id</label>
          <input id="member-id" required value={userId} onChange={(e) => setUserId(e.target.value)} />
          <label htmlFor="member-role">Team role</label>
          <select id="member-role" value={teamRole} onChange={(e) => setTeamRole(e.target.value as TeamRole)}>
            {ROLES.map(({ role, label }) => (
              <option key={role} value={role}>
                {label}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            Add member
          </button>
          <ProblemMessage error={error} label="The member was not added" />
        </form>
      ) : null}
    </Section>
  );
}
