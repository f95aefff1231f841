/**
 * Permits: create (a DRAFT plus its lifecycle process), edit the DRAFT, read, list, history, and the applicant's
 * actions on the application (submit, provide information, withdraw).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, MESSAGES, PreconditionFailedError, PROCESS_VARIABLES, ValidationError, type PermitStatus } from '../../shared/index.js';
import type { Permit, StatusHistoryEntry } from '../../db/index.js';
import type { Logger } from 'pino';
import { lifecycleStartCommand, startLifecycle } from './lifecycle-start.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { Caller } from '../identity/caller.js';
import { checkVersion, createPermitAccess, isAdmin, toPermitView, type PermitAccess, type PermitView } from './permit-access.js';
import { assertActionAllowed } from './permit-actions.js';
import { auditActionOf, createActionRunner, type ActionRunner } from './permit-action-runner.js';
import type { DraftFields, IdempotencyScope, NewMember, PermitStore } from './permit-store.js';
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

/** PATCH /permits/{id}: what to change; `null` clears validFrom or deletionGracePeriod. */
export interface EditDraftInput {
  title?: string | undefined;
  purpose?: string | undefined;
  validFrom?: string | null | undefined;
  validUntil?: string | undefined;
  deletionGracePeriod?: string | null | undefined;
}

const DRAFT_FIELDS = ['title', 'purpose', 'validFrom', 'validUntil', 'deletionGracePeriod'] as const satisfies readonly (keyof DraftFields)[];

/** The validity window's rules, for create and edit alike: ends in the future, starts before it ends. */
function validityErrors(validFrom: Date | undefined, validUntil: Date, now: Date): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (validUntil.getTime() <= now.getTime()) errors.push({ path: 'body.validUntil', message: 'must be in the future' });
  if (validFrom && validFrom.getTime() >= validUntil.getTime()) errors.push({ path: 'body.validFrom', message: 'must be before validUntil' });
  return errors;
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
  logger?: Logger;
}

/** Equal values, with date-times compared as instants (the store may write them back in another notation). */
function sameInstant(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b) && !Number.isNaN(x) && x === y;
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

    async create(caller: Caller, input: CreatePermitInput, idempotency?: IdempotencyScope): Promise<PermitView> {
      if (!caller.roles.includes('researcher')) throw new ForbiddenError('Only researchers may apply for a permit.');
      const validUntil = new Date(input.validUntil);
      const validFrom = input.validFrom === undefined ? undefined : new Date(input.validFrom);
      const errors = validityErrors(validFrom, validUntil, now());
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
      const id = newId();
      const fields = {
        id,
        title: input.title,
        purpose: input.purpose,
        validFrom: validFrom?.toISOString() ?? null,
        validUntil: validUntil.toISOString(),
        deletionGracePeriod: input.deletionGracePeriod ?? null,
        createdBy: caller.userId,
      };
      // The DRAFT and the command to start its lifecycle process, in one transaction (docs/adr/0006-engine-commands.md).
      const draft = await deps.store.createDraft(fields, members, idempotency, lifecycleStartCommand(fields, caller.name));
      // An earlier request under this Idempotency-Key created it and died before its answer was stored: it goes on
      // with that permit's start (if still pending), which finds the process that request may have started.
      const command = draft.processInstanceKey ? undefined : draft.id === id ? lifecycleStartCommand(fields, caller.name) : await deps.store.pendingStartOf(draft.id);
      if (!command) return access.reload(caller, draft.id);
      let permit: Permit | undefined;
      try {
        permit = await startLifecycle({ store: deps.store, engine: deps.engine, ...(deps.logger ? { logger: deps.logger } : {}) }, command, draft.id === id ? members : undefined);
      } catch (error) {
        // The permit exists (its answer is 201, so a client does not create it again). The engine may or may not have
        // started the process: the command stays pending and the engine-command relay finishes the start once the
        // lease runs out (finding, by its tag, an instance started here). The permit's actions are 409 until then.
        deps.logger?.warn({ err: error, permitId: draft.id }, 'lifecycle process not started or not linked by the request; the engine-command relay finishes it');
      }
      if (!permit) return access.reload(caller, draft.id);
      return toPermitView({ permit, membership: ['RESEARCH_TEAM', ...(deps.defaultHdabTeam.includes(caller.userId) ? (['HDAB_TEAM'] as const) : [])] }, caller);
    },

    /**
     * Changes the DRAFT application (whoever may submit it). Checked in full against the permit as it would be; a
     * request that changes nothing answers the permit as it is (even with a stale If-Match: RFC 9110 §13.1.1 lets a
     * change already made succeed), so a repeat is harmless. Otherwise one transaction: the guarded UPDATE with the
     * version bump, the audit entry and the event `permit.draft.edited`.
     */
    async editDraft(caller: Caller, permitId: string, input: EditDraftInput, expectedVersion?: number): Promise<PermitView> {
      const { permit, membership } = await access.load(caller, permitId);
      assertActionAllowed('edit-draft', permit, caller, membership);
      const asked: Partial<DraftFields> = {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
        ...(input.validFrom !== undefined ? { validFrom: input.validFrom === null ? null : new Date(input.validFrom).toISOString() } : {}),
        ...(input.validUntil !== undefined ? { validUntil: new Date(input.validUntil).toISOString() } : {}),
        ...(input.deletionGracePeriod !== undefined ? { deletionGracePeriod: input.deletionGracePeriod } : {}),
      };
      const next = { ...permit, ...asked };
      if (next.validUntil === null) throw new ValidationError('The permit has no end of validity: send validUntil.', { errors: [{ path: 'body.validUntil', message: 'is required' }] });
      const errors = validityErrors(next.validFrom === null ? undefined : new Date(next.validFrom), new Date(next.validUntil), now());
      if (errors.length > 0) throw new ValidationError(`The permit's validity is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });

      const changes: Partial<DraftFields> = {};
      const from: Record<string, unknown> = {};
      for (const field of DRAFT_FIELDS) {
        const value = asked[field];
        if (value === undefined || sameInstant(value, permit[field])) continue;
        Object.assign(changes, { [field]: value });
        from[field] = permit[field];
      }
      if (Object.keys(changes).length === 0) return toPermitView({ permit, membership }, caller);
      checkVersion(permit, expectedVersion);

      const edited = await deps.store.editDraft({
        permitId,
        changes,
        version: permit.version,
        audit: { actor: caller.userId, action: auditActionOf('edit-draft'), permitId, details: { changes, previous: from } },
      });
      if (!edited) {
        if (expectedVersion !== undefined) {
          throw new PreconditionFailedError(`Permit ${permitId} changed while your edit was being saved (If-Match "${expectedVersion}" is stale now). Read it again and retry.`);
        }
        const current = await access.load(caller, permitId);
        assertActionAllowed('edit-draft', current.permit, caller, current.membership);
        throw new ConflictError(`Permit ${permitId} changed while your edit was being saved; nothing was changed. Read it again and retry.`, { permitId });
      }
      return toPermitView({ permit: edited, membership }, caller);
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

    /** The message carries the application as it is now, so the process (and the reviewers' forms) see the edited draft. */
    async submit(caller: Caller, permitId: string, expectedVersion?: number) {
      const { permit } = await access.load(caller, permitId);
      return run({
        caller,
        permitId,
        action: 'submit',
        expectedVersion,
        message: MESSAGES.applicationSubmitted,
        variables: {
          submittedBy: caller.userId,
          [PROCESS_VARIABLES.permitTitle]: permit.title,
          [PROCESS_VARIABLES.permitPurpose]: permit.purpose,
          [PROCESS_VARIABLES.validUntil]: permit.validUntil,
          deletionGracePeriod: permit.deletionGracePeriod,
        },
      });
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
