/**
 * Who an audience is, for one permit: always people on the permit's team in the database (`permit_members`, by
 * team role), never addresses taken from process variables. Two refinements:
 *
 * - `operators` are not permit members: they are the configured operator user ids (`operatorUserIds`), looked up in
 *   the user directory (the directory holds no roles; token roles are not stored). The Slack channel mapped to
 *   `operators` is told as well.
 * - Inside the per-holder part of ingress (the multi-instance body has a `dataHolder` variable), a data-holder
 *   audience narrows to that one holder, provided the holder is a DATA_HOLDER member of the permit; otherwise every
 *   data holder is told and a warning logged.
 */
import type { Logger } from 'pino';
import type { NotificationAudience, TeamRole } from '../../shared/index.js';
import type { NotificationStore, Recipient } from './notification-store.js';

export const AUDIENCE_TEAM_ROLES = {
  'research-team': ['RESEARCH_TEAM'],
  'hdab-reviewers': ['HDAB_TEAM'],
  'data-holders': ['DATA_HOLDER'],
  everyone: ['RESEARCH_TEAM', 'HDAB_TEAM', 'DATA_HOLDER'],
  'hdab-and-data-holders': ['HDAB_TEAM', 'DATA_HOLDER'],
  'research-team-and-hdab': ['RESEARCH_TEAM', 'HDAB_TEAM'],
  operators: [],
} as const satisfies Record<NotificationAudience, readonly TeamRole[]>;

export interface AudienceInput {
  permitId: string;
  audience: NotificationAudience;
  /** The `dataHolder` variable, when the job runs inside the per-holder ingress branch. */
  dataHolder?: string | undefined;
  operatorUserIds: readonly string[];
}

/** The people to tell, each once, ordered by user id. */
export async function resolveAudience(store: NotificationStore, input: AudienceInput, logger: Logger): Promise<Recipient[]> {
  if (input.audience === 'operators') return unique(await store.users(input.operatorUserIds));
  const roles: readonly TeamRole[] = AUDIENCE_TEAM_ROLES[input.audience];
  let members = await store.teamMembers(input.permitId, roles);
  const holder = input.dataHolder;
  if (holder && roles.includes('DATA_HOLDER')) {
    const isHolder = members.some((m) => m.teamRole === 'DATA_HOLDER' && m.userId === holder);
    if (isHolder) members = members.filter((m) => m.teamRole !== 'DATA_HOLDER' || m.userId === holder);
    else logger.warn({ dataHolder: holder, permitId: input.permitId }, `data holder "${holder}" is not a DATA_HOLDER member of the permit; telling every data holder`);
  }
  return unique(members.map(({ userId, displayName, email, slackUserId }) => ({ userId, displayName, ...(email ? { email } : {}), ...(slackUserId ? { slackUserId } : {}) })));
}

function unique(recipients: readonly Recipient[]): Recipient[] {
  const byId = new Map<string, Recipient>();
  for (const r of recipients) if (!byId.has(r.userId)) byId.set(r.userId, r);
  return [...byId.values()].sort((a, b) => a.userId.localeCompare(b.userId));
}
