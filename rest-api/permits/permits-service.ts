/**
 * Permits: create (a DRAFT plus its lifecycle process), read, list, history, and the applicant's actions on the
 * application (submit, provide information, withdraw).
 */
import { randomUUID } from 'node:crypto';
import { ForbiddenError, MESSAGES, PROCESS_IDS, PROCESS_VARIABLES, UnavailableError, ValidationError, type PermitStatus } from '../../shared/index.js';
import type { StatusHistoryEntry } from '../../db/index.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess, isAdmin, toPermitView, type PermitAccess, type PermitView } from './permit-access.js';
import { createActionRunner, type ActionRunner } from './permit-action-runner.js';
import type { NewMember, PermitStore } from './permit-store.js';
import { checkTeamAdditions, describeTeamRuleViolation, type KnownUser } from '../../shared/team-rules.js';
import { assertTeamAdditions, withCaller, type MemberAddition } from '../team/member-rules.js';
import type { UserDirectory } from '../team/user-directory-port.js';

export interface CreatePermitInput {
  title: string;
  purpose: string;
  validFrom?: string | undefined;
  validUntil: string;
  deletionGracePeriod?: string | undefined;
  /** Further research-team members besides the creator. */
  members?: { userId: string }[] | undefined;
}

export interface ListPermitsInput {
  status?: PermitStatus | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface PermitsServiceDeps {
  store: PermitStore;
  engine: EnginePort;
  /** HDAB reviewers put on every new permit's HDAB_TEAM (embedded/demo setups; empty in production). */
  defaultHdabTeam: readonly string[];
  /** Who may be put on teams (team rules). */
  directory: UserDirectory;
  now?: () => Date;
  newId?: () => string;
  access?: PermitAccess;
}

export type PermitsService = ReturnType<typeof createPermitsService>;

export function createPermitsService(deps: PermitsServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const access = deps.access ?? createPermitAccess(deps.store);
  const run: ActionRunner = createActionRunner({ access, engine: deps.engine, store: deps.store });

  /** The configured default HDAB team must hold known HDAB reviewers; anything else is the operator's to fix. */
  async function assertDefaultHdabTeam(): Promise<void> {
    if (deps.defaultHdabTeam.length === 0) return;
    const known = new Map<string, KnownUser>((await deps.directory.find(deps.defaultHdabTeam)).map((user) => [user.userId, user]));
    const violations = checkTeamAdditions(deps.defaultHdabTeam.map((userId) => ({ userId, teamRole: 'HDAB_TEAM' as const })), [], known);
    if (violations.length > 0) {
      throw new Error(`The configured default HDAB team cannot be put on a new permit: ${violations.map(describeTeamRuleViolation).join('; ')}.`);
    }
  }

  return {
    access,

    async create(caller: Caller, input: CreatePermitInput): Promise<PermitView> {
      if (!caller.roles.includes('researcher')) throw new ForbiddenError('Only researchers may apply for a permit.');
      const validUntil = new Date(input.validUntil);
      const validFrom = input.validFrom === undefined ? undefined : new Date(input.validFrom);
      const errors: { path: string; message: string }[] = [];
      if (validUntil.getTime() <= now().getTime()) errors.push({ path: 'body.validUntil', message: 'must be in the future' });
      if (validFrom && validFrom.getTime() >= validUntil.getTime()) errors.push({ path: 'body.validFrom', message: 'must be before validUntil' });
      if (errors.length > 0) throw new ValidationError(`The permit's validity is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });

      await assertDefaultHdabTeam();
      const hdabTeam: MemberAddition[] = deps.defaultHdabTeam.map((userId) => ({ userId, teamRole: 'HDAB_TEAM', path: 'defaultHdabTeam' }));
      const researchTeam: MemberAddition[] = [
        { userId: caller.userId, teamRole: 'RESEARCH_TEAM', path: 'caller' },
        ...(input.members ?? []).map((m, index) => ({ userId: m.userId, teamRole: 'RESEARCH_TEAM' as const, path: `body.members[${index}].userId` })),
      ];
      // The HDAB team first, so a caller who is on it hears that they cannot also be on the research team.
      await assertTeamAdditions(withCaller(deps.directory, caller), [...hdabTeam, ...researchTeam], []);
      const members: NewMember[] = [...researchTeam, ...hdabTeam].map(({ userId, teamRole }) => ({ userId, teamRole }));
      const draft = await deps.store.createDraft(
        {
          id: newId(),
          title: input.title,
          purpose: input.purpose,
          validFrom: validFrom?.toISOString() ?? null,
          validUntil: validUntil.toISOString(),
          deletionGracePeriod: input.deletionGracePeriod ?? null,
          createdBy: caller.userId,
        },
        members,
      );
      let processInstanceKey: string;
      try {
        ({ processInstanceKey } = await deps.engine.createProcessInstance(PROCESS_IDS.lifecycle, {
          permitId: draft.id,
          validUntil: draft.validUntil,
          deletionGracePeriod: draft.deletionGracePeriod,
          // Context the reviewers' forms show (call activities pass them on to every phase).
          [PROCESS_VARIABLES.permitTitle]: draft.title,
          [PROCESS_VARIABLES.applicantName]: caller.name,
          [PROCESS_VARIABLES.permitPurpose]: draft.purpose,
        }));
      } catch (error) {
        await deps.store.deleteDraft(draft.id);
        if (error instanceof UnavailableError) throw error;
        throw new UnavailableError(`The permit's lifecycle process could not be started, so no permit was created: ${(error as Error).message}`);
      }
      const permit = await deps.store.attachProcess(draft.id, processInstanceKey, {
        actor: caller.userId,
        action: 'permit.created',
        permitId: draft.id,
        details: { title: draft.title, validFrom: draft.validFrom, validUntil: draft.validUntil, members, processInstanceKey },
      });
      return toPermitView({ permit, membership: ['RESEARCH_TEAM', ...(deps.defaultHdabTeam.includes(caller.userId) ? (['HDAB_TEAM'] as const) : [])] }, caller);
    },

    async get(caller: Caller, permitId: string): Promise<PermitView> {
      return toPermitView(await access.load(caller, permitId), caller);
    },

    async list(caller: Caller, input: ListPermitsInput) {
      const { items, total } = await deps.store.list({ ...input, ...(isAdmin(caller) ? {} : { memberId: caller.userId }) });
      return { items, total, limit: input.limit, offset: input.offset };
    },

    async history(caller: Caller, permitId: string): Promise<StatusHistoryEntry[]> {
      await access.load(caller, permitId);
      return deps.store.history(permitId);
    },

    submit(caller: Caller, permitId: string, expectedVersion?: number) {
      return run({ caller, permitId, action: 'submit', expectedVersion, message: MESSAGES.applicationSubmitted, variables: { submittedBy: caller.userId } });
    },

    provideInfo(caller: Caller, permitId: string, input: { response: string }, expectedVersion?: number) {
      return run({
        caller,
        permitId,
        action: 'provide-info',
        expectedVersion,
        message: MESSAGES.applicationInfoProvided,
        variables: { applicantResponse: input.response, submittedBy: caller.userId },
      });
    },

    withdraw(caller: Caller, permitId: string, input: { reason?: string | undefined }, expectedVersion?: number) {
      return run({
        caller,
        permitId,
        action: 'withdraw',
        expectedVersion,
        message: MESSAGES.applicationWithdrawn,
        variables: { withdrawnBy: caller.userId, reason: input.reason ?? null },
      });
    },
  };
}
