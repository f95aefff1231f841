import { describe, expect, it } from 'vitest';
import { CANDIDATE_GROUPS, ConflictError, DECISION_DENIALS, FORM_IDS, ForbiddenError, NotFoundError, PROCESS_IDS, ValidationError } from '../../shared/index.js';
import { createFakeEgressStore } from '../egress/fake-egress-store.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import { createPermitAccess } from '../permits/permit-access.js';
import { createFakePermitStore } from '../permits/fake-permit-store.js';
import { createFakeReviewsFeature } from '../reviews/create-reviews-feature.js';
import { createTasksService, groupsOf } from './tasks-service.js';

const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const victor: Caller = { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] };
const adam: Caller = { userId: 'adam', name: 'Adam', roles: ['admin'] };
const ON = 'aaaaaaaa-0000-4000-8000-000000000001';
const OFF = 'aaaaaaaa-0000-4000-8000-000000000002';

const ingressForm = {
  components: [
    { type: 'radio', key: 'ingressExceptionDecision', values: [{ value: 'REQUEST_NEW_UPLOAD' }, { value: 'ABORT_INGRESS' }], validate: { required: true } },
    { type: 'textarea', key: 'ingressExceptionComment', validate: { required: true } },
  ],
};
const setupForm = {
  components: [
    { type: 'radio', key: 'setupDecision', values: [{ value: 'APPROVED' }, { value: 'REWORK_REQUESTED' }, { value: 'REJECTED' }], validate: { required: true } },
    { type: 'textarea', key: 'setupComment', validate: { required: true }, conditional: { hide: '=setupDecision = "APPROVED"' } },
  ],
};

const assessmentForm = {
  components: [
    { type: 'radio', key: 'assessmentDecision', values: [{ value: 'APPROVED' }, { value: 'REJECTED' }], validate: { required: true } },
    { type: 'datetime', subtype: 'datetime', key: 'validUntil', dateLabel: 'Permit valid until', validate: { required: true }, conditional: { hide: '=assessmentDecision != "APPROVED"' } },
  ],
};

function setup() {
  const permits = createFakePermitStore();
  permits.seed({ id: ON, title: 'Mine', status: 'DATA_INGRESS_BLOCKED' }, [
    { userId: 'alice', teamRole: 'RESEARCH_TEAM' },
    { userId: 'rita', teamRole: 'HDAB_TEAM' },
  ]);
  permits.seed({ id: OFF, title: 'Not mine', status: 'WORKSPACE_SETUP_REVIEW_PENDING' }, [{ userId: 'victor', teamRole: 'HDAB_TEAM' }]);
  const engine = createFakeEnginePort();
  engine.addUserTask(
    { userTaskKey: '10', processInstanceKey: '1', name: 'Handle blocked data delivery', candidateGroups: [CANDIDATE_GROUPS.hdabDataStewards], formId: FORM_IDS.ingressException, formSchema: ingressForm, dueDate: '2026-07-01T00:00:00.000Z' },
    { permitId: ON },
  );
  engine.addUserTask(
    { userTaskKey: '20', processInstanceKey: '2', processDefinitionId: PROCESS_IDS.setup, candidateGroups: [CANDIDATE_GROUPS.hdabReviewers], formId: FORM_IDS.setupReview, formSchema: setupForm },
    { permitId: OFF, setupSubmittedBy: 'victor' },
  );
  const access = createPermitAccess(permits);
  const { service: reviews } = createFakeReviewsFeature({ access, engine, permits, egress: createFakeEgressStore() });
  const service = createTasksService({ engine, access, permits, reviews });
  return { permits, engine, service };
}

describe('tasks service', () => {
  it('maps token roles to candidate groups', () => {
    expect(groupsOf(rita)).toEqual(['hdab-reviewers', 'hdab-data-stewards']);
    expect(groupsOf(alice)).toEqual([]);
  });

  it("lists the open tasks of the caller's groups on permits where they are on the HDAB team, with form and permit", async () => {
    const { service } = setup();
    expect(await service.list(rita)).toEqual([
      expect.objectContaining({ userTaskKey: '10', formId: FORM_IDS.ingressException, assignee: null, dueDate: '2026-07-01T00:00:00.000Z', permit: { id: ON, title: 'Mine', status: 'DATA_INGRESS_BLOCKED' } }),
    ]);
    expect((await service.list(victor)).map((t) => t.userTaskKey)).toEqual(['20']);
    expect(await service.list(alice)).toEqual([]);
    expect(await service.list(adam)).toEqual([]);
  });

  it('completes a task with variables that fit its form and records it', async () => {
    const { engine, permits, service } = setup();
    await service.complete(rita, '10', { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'Wrong checksum' });
    expect(engine.completed).toEqual([{ userTaskKey: '10', variables: { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'Wrong checksum' } }]);
    // Assigned to the caller first, as Tasklist does; the decision listener audits the decision.
    expect(engine.assignments).toEqual([{ userTaskKey: '10', assignee: 'rita' }]);
    expect(permits.audits.filter((a) => a.action === 'task.completed')).toEqual([]);
    await expect(service.complete(rita, '10', { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'again' })).rejects.toBeInstanceOf(ConflictError);
  });

  it("answers the decision listener's denial with its reason and gives the task back; a task someone else has is 409", async () => {
    const { engine, service } = setup();
    engine.listener = () => `${DECISION_DENIALS.notAllowed}rita is a data holder of permit ${ON}.`;
    const denied = await service.complete(rita, '10', { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'Wrong checksum' }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(ForbiddenError);
    expect((denied as ForbiddenError).message).toBe(`${DECISION_DENIALS.notAllowed}rita is a data holder of permit ${ON}.`);
    expect(engine.assignments).toEqual([
      { userTaskKey: '10', assignee: 'rita' },
      { userTaskKey: '10', assignee: null },
    ]);
    engine.listener = undefined;
    await engine.assignUserTask('10', 'victor');
    const taken = await service.complete(rita, '10', { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'Wrong checksum' }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ConflictError);
    expect((taken as ConflictError).message).toMatch(/^victor is working on task "Handle blocked data delivery"/);
    expect(engine.completed).toEqual([]);
  });

  it('refuses variables outside the form (no overwriting permitId) and changes nothing', async () => {
    const { engine, service } = setup();
    await expect(service.complete(rita, '10', { ingressExceptionDecision: 'REQUEST_NEW_UPLOAD', ingressExceptionComment: 'x', permitId: OFF })).rejects.toBeInstanceOf(ValidationError);
    expect(engine.completed).toEqual([]);
  });

  it('refuses an end date that is no date with the field named, and takes the prefilled one when the caller sends none', async () => {
    const { engine, permits, service } = setup();
    const ASSESSED = 'aaaaaaaa-0000-4000-8000-000000000003';
    permits.seed({ id: ASSESSED, title: 'Assessed', status: 'UNDER_ASSESSMENT' }, [{ userId: 'rita', teamRole: 'HDAB_TEAM' }]);
    engine.addUserTask(
      { userTaskKey: '30', processInstanceKey: '3', processDefinitionId: PROCESS_IDS.application, candidateGroups: [CANDIDATE_GROUPS.hdabReviewers], formId: FORM_IDS.applicationAssessment, formSchema: assessmentForm },
      { permitId: ASSESSED, submittedBy: 'alice', validUntil: '2027-12-31T00:00:00Z' },
    );
    const refused = await service.complete(rita, '30', { assessmentDecision: 'APPROVED', validUntil: 'not-a-date' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).details.errors).toEqual([{ path: 'body.variables.validUntil', message: expect.stringMatching(/^"Permit valid until" must be a date and time/) }]);
    expect(engine.completed).toEqual([]);
    await service.complete(rita, '30', { assessmentDecision: 'APPROVED' });
    expect(engine.completed[0]?.variables).toMatchObject({ assessmentDecision: 'APPROVED' });
    expect(engine.completed[0]?.variables).not.toHaveProperty('assessedBy');
  });

  it('hides tasks of permits the caller is not on (404) and refuses callers without the group (403)', async () => {
    const { permits, service } = setup();
    await expect(service.complete(rita, '20', { setupDecision: 'APPROVED' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.complete(rita, '999', {})).rejects.toBeInstanceOf(NotFoundError);
    permits.memberRows.push({ permitId: ON, userId: 'alice', teamRole: 'HDAB_TEAM', addedBy: 'x', addedAt: '' });
    await expect(service.complete(alice, '10', {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('takes review tasks through the review rules: own submission refused (by the listener, the task given back), decision recorded', async () => {
    const { engine, permits, service } = setup();
    // As the decision listener does: the assignee may not have submitted what is decided.
    engine.listener = (t) => (t.assignee === engine.variables.get(t.processInstanceKey)?.setupSubmittedBy ? `${DECISION_DENIALS.notAllowed}${t.assignee} wrote or submitted it.` : undefined);
    await expect(service.complete(victor, '20', { setupDecision: 'APPROVED' })).rejects.toBeInstanceOf(ForbiddenError);
    permits.memberRows.push({ permitId: OFF, userId: 'rita', teamRole: 'HDAB_TEAM', addedBy: 'x', addedAt: '' });
    const done = await service.complete(rita, '20', { setupDecision: 'REWORK_REQUESTED', setupComment: 'Remove the VPN client' });
    expect(done.reviewDecision).toMatchObject({ stage: 'SETUP', decision: 'REWORK_REQUESTED', reviewer: 'rita', submittedBy: 'victor' });
    expect(engine.completed[0]?.variables).toEqual({ setupDecision: 'REWORK_REQUESTED', setupComment: 'Remove the VPN client' });
    expect(engine.assignments).toEqual([
      { userTaskKey: '20', assignee: 'victor' },
      { userTaskKey: '20', assignee: null },
      { userTaskKey: '20', assignee: 'rita' },
    ]);
  });
});
