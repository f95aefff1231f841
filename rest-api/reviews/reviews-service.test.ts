import { describe, expect, it } from 'vitest';
import { CANDIDATE_GROUPS, ConflictError, DECISION_DENIALS, ForbiddenError, InvalidTransitionError, MESSAGES, PROCESS_IDS, REVIEW_VARIABLES, ValidationError } from '../../shared/index.js';
import { createFakeEgressStore } from '../egress/fake-egress-store.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeReviewsFeature } from './create-reviews-feature.js';
import { createReviewsService } from './reviews-service.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const victor: Caller = { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] };
const PERMIT = '11111111-1111-4111-8111-111111111111';
const EGRESS = '22222222-2222-4222-8222-222222222222';

function setup(status: 'WORKSPACE_SETUP_REVIEW_PENDING' | 'EGRESS_REVIEW_PENDING' = 'WORKSPACE_SETUP_REVIEW_PENDING') {
  const permits = createFakePermitStore();
  permits.seed({ id: PERMIT, status }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
    { userId: 'victor', teamRole: 'HDAB_TEAM' },
  ]);
  const engine = createFakeEnginePort();
  const egress = createFakeEgressStore();
  let n = 0;
  const { service, store } = createFakeReviewsFeature({ access: createPermitAccess(permits), engine, permits, egress, newId: () => `d-${++n}` });
  return { permits, engine, store, egress, service };
}

function openSetupTask(engine: ReturnType<typeof createFakeEnginePort>, submittedBy = 'alice') {
  return engine.addUserTask(
    { userTaskKey: '900', processInstanceKey: '500', processDefinitionId: PROCESS_IDS.setup, candidateGroups: [CANDIDATE_GROUPS.hdabReviewers] },
    { permitId: PERMIT, setupSubmittedBy: submittedBy },
  );
}

describe('reviews service', () => {
  it('completes the open setup review task with the stage variables and records the decision', async () => {
    const { engine, store, service } = setup();
    openSetupTask(engine);
    const decision = await service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED', checklist: ['NO_EXFILTRATION_CHANNELS'] });
    const names = REVIEW_VARIABLES.SETUP;
    expect(engine.completed).toEqual([
      {
        userTaskKey: '900',
        variables: { [names.decision]: 'APPROVED', [names.comment]: null, [names.checklist]: ['NO_EXFILTRATION_CHANNELS'] },
      },
    ]);
    expect(engine.assignments).toEqual([{ userTaskKey: '900', assignee: 'rita' }]);
    expect(decision).toMatchObject({ stage: 'SETUP', decision: 'APPROVED', reviewer: 'rita', submittedBy: 'alice', userTaskKey: '900' });
    expect(store.decisions).toHaveLength(1);
  });

  it("refuses a task someone else is working on (409 naming them) without touching it", async () => {
    const { engine, service } = setup();
    openSetupTask(engine).assignee = 'victor';
    const refused = await service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toMatch(/^victor is working on the SETUP review of permit/);
    expect(engine.assignments).toEqual([]);
    expect(engine.completed).toEqual([]);
  });

  it("turns the decision listener's denial into 403 (a rule) or 400 (form values) with its reason, and gives the task back", async () => {
    const { engine, store, service } = setup();
    const task = openSetupTask(engine);
    engine.listener = () => `${DECISION_DENIALS.notAllowed}rita is on the research team of permit ${PERMIT}.`;
    const forbidden = await service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' }).catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect((forbidden as ForbiddenError).message).toBe(`${DECISION_DENIALS.notAllowed}rita is on the research team of permit ${PERMIT}.`);
    engine.listener = () => `${DECISION_DENIALS.invalidValues}setupChecklist has an unknown option.`;
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).rejects.toBeInstanceOf(ValidationError);
    expect(engine.assignments).toEqual([
      { userTaskKey: '900', assignee: 'rita' },
      { userTaskKey: '900', assignee: null },
      { userTaskKey: '900', assignee: 'rita' },
      { userTaskKey: '900', assignee: null },
    ]);
    expect(task.assignee).toBeUndefined();
    expect(task.state).toBe('CREATED');
    expect(store.decisions).toEqual([]);
  });

  it('refuses decisions the stage does not accept, and rework or rejection without a comment', async () => {
    const { engine, service } = setup();
    openSetupTask(engine);
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'INFO_REQUESTED' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'REWORK_REQUESTED', comment: '  ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED', egressRequestId: EGRESS })).rejects.toBeInstanceOf(ValidationError);
    expect(engine.completed).toEqual([]);
  });

  it('never lets a reviewer decide on their own submission: the listener refuses it (403), the task is given back', async () => {
    const { engine, store, service } = setup();
    const task = openSetupTask(engine, 'rita');
    // As the decision listener does: the assignee may not have submitted what is decided.
    engine.listener = (t) => (t.assignee === engine.variables.get(t.processInstanceKey)?.setupSubmittedBy ? `${DECISION_DENIALS.notAllowed}${t.assignee} wrote or submitted it.` : undefined);
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(engine.completed).toEqual([]);
    expect(store.decisions).toEqual([]);
    expect(task.assignee).toBeUndefined();
    await expect(service.review(victor, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).resolves.toMatchObject({ reviewer: 'victor', submittedBy: 'rita' });
  });

  it('asks the engine only for the task, its assignment and its completion when the listener recorded the decision', async () => {
    const { engine, store, permits, egress } = setup();
    openSetupTask(engine);
    // The decision listener records the decision while the completion is being made (the knex store's row).
    engine.listener = (t) => {
      store.decisions.push({ id: 'listener-row', permitId: PERMIT, stage: 'SETUP', decision: 'APPROVED', comment: null, checklist: null, reviewer: t.assignee ?? '', submittedBy: 'alice', egressRequestId: null, userTaskKey: t.userTaskKey, decidedAt: new Date().toISOString() });
      return undefined;
    };
    const calls: string[] = [];
    const counted = new Proxy(engine, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const wired = createReviewsService({ access: createPermitAccess(permits), engine: counted, permits, egress, store });
    await expect(wired.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).resolves.toMatchObject({ id: 'listener-row', submittedBy: 'alice' });
    expect(calls).toEqual(['searchUserTasks', 'assignUserTask', 'completeUserTask']);
    expect(store.decisions).toHaveLength(1);
  });

  it('lets exactly one of two reviewers deciding at once win; the other gets 409', async () => {
    const { engine, store, service } = setup();
    openSetupTask(engine);
    const outcomes = await Promise.allSettled([
      service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' }),
      service.review(victor, PERMIT, { stage: 'SETUP', decision: 'REJECTED', comment: 'Remote shell installed' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const [lost] = outcomes.filter((o) => o.status === 'rejected');
    expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(store.decisions).toHaveLength(1);
  });

  it('answers 409 when no review task is open, and 403 to researchers', async () => {
    const { service } = setup();
    await expect(service.review(rita, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(service.review(alice, PERMIT, { stage: 'SETUP', decision: 'APPROVED' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('answers 409 for a stage the permit is not in', async () => {
    const { engine, service } = setup();
    openSetupTask(engine);
    const refused = await service.review(rita, PERMIT, { stage: 'EGRESS', decision: 'APPROVED', egressRequestId: EGRESS }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidTransitionError);
    expect(refused).toMatchObject({ currentStatus: 'WORKSPACE_SETUP_REVIEW_PENDING' });
  });

  it('takes the egress submitter from the request and wants a different reviewer for the second approval', async () => {
    const { engine, egress, service } = setup('EGRESS_REVIEW_PENDING');
    egress.seed({ id: EGRESS, permitId: PERMIT, status: 'IN_REVIEW', submittedBy: 'alice', requiredReviews: 2 });
    const task = { processInstanceKey: '600', processDefinitionId: PROCESS_IDS.egress, candidateGroups: [CANDIDATE_GROUPS.hdabReviewers] };
    engine.addUserTask({ ...task, userTaskKey: '901' }, { permitId: PERMIT, egressRequestId: EGRESS });
    await expect(service.review(rita, PERMIT, { stage: 'EGRESS', decision: 'APPROVED', egressRequestId: EGRESS })).resolves.toMatchObject({ submittedBy: 'alice', egressRequestId: EGRESS });
    engine.addUserTask({ ...task, userTaskKey: '902' }, { permitId: PERMIT, egressRequestId: EGRESS });
    await expect(service.review(rita, PERMIT, { stage: 'EGRESS', decision: 'APPROVED', egressRequestId: EGRESS })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.review(victor, PERMIT, { stage: 'EGRESS', decision: 'APPROVED', egressRequestId: EGRESS })).resolves.toMatchObject({ userTaskKey: '902' });
  });

  it('submits the workspace setup for review with the submitter and note', async () => {
    const { permits, engine, service } = setup();
    permits.setStatus(PERMIT, 'WORKSPACE_SETUP_PENDING');
    engine.expectMessage(MESSAGES.setupSubmitted, PERMIT);
    await service.submitSetup(alice, PERMIT, { note: 'R and Python installed' });
    expect(engine.correlated).toEqual([{ name: MESSAGES.setupSubmitted, correlationKey: PERMIT, variables: { setupSubmittedBy: 'alice', setupSubmissionNote: 'R and Python installed' } }]);
    await expect(service.submitSetup(rita, PERMIT, {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});
