import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, type TeamRole } from '../../shared/index.js';
import type { Permit } from '../../db/index.js';
import { createFakeEnginePort } from '../engine/fake-engine-port.js';
import type { Caller } from '../identity/caller.js';
import type { PermitAccess } from '../permits/permit-access.js';
import { createTaskWorkService } from './task-work-service.js';

const PERMIT = 'b3f0a1c2-0000-4000-8000-000000000001';
const rita: Caller = { userId: 'rita', name: 'Rita', roles: ['hdab-reviewer'] };
const victor: Caller = { userId: 'victor', name: 'Victor', roles: ['hdab-reviewer'] };
const alice: Caller = { userId: 'alice', name: 'Alice', roles: ['researcher'] };

function setup(teams: Record<string, TeamRole[]> = { rita: ['HDAB_TEAM'], victor: ['HDAB_TEAM'], alice: ['RESEARCH_TEAM'] }) {
  const engine = createFakeEnginePort();
  engine.addUserTask(
    { userTaskKey: '100', processInstanceKey: '7', name: 'Review application', candidateGroups: ['hdab-reviewers'], dueDate: '2027-01-10T00:00:00.000Z', followUpDate: '2027-01-05T00:00:00.000Z', formId: 'review-application', formSchema: { components: [{ key: 'applicationDecision', type: 'radio' }, { key: 'applicationComment', type: 'textarea' }] } },
    { permitId: PERMIT, permitTitle: 'Cohort study', applicationComment: 'earlier note' },
  );
  const permit = { id: PERMIT, title: 'Cohort study', status: 'UNDER_ASSESSMENT' } as Permit;
  const access: PermitAccess = {
    load: async (caller) => {
      const membership = teams[caller.userId] ?? [];
      if (membership.length === 0) throw new NotFoundError('not yours');
      return { permit, membership };
    },
    forAction: async () => {
      throw new Error('not used');
    },
    reload: async () => {
      throw new Error('not used');
    },
  };
  return { engine, service: createTaskWorkService({ engine, access }) };
}

describe('working on one task', () => {
  it('shows a reviewer on the HDAB team the task with its form and every variable it sees (field values and the context its texts read)', async () => {
    const { service } = setup();
    const detail = await service.get(rita, '100');
    expect(detail.task.permit).toEqual({ id: PERMIT, title: 'Cohort study', status: 'UNDER_ASSESSMENT' });
    expect(detail.form?.formId).toBe('review-application');
    expect(detail.variables).toEqual({ permitId: PERMIT, permitTitle: 'Cohort study', applicationComment: 'earlier note' });
    expect([detail.task.dueDate, detail.task.followUpDate]).toEqual(['2027-01-10T00:00:00.000Z', '2027-01-05T00:00:00.000Z']);
  });

  it('hides the task from a researcher (not on the HDAB team, no task group)', async () => {
    const { service } = setup();
    await expect(service.get(alice, '100')).rejects.toBeInstanceOf(ForbiddenError);
    const { service: other } = setup({ rita: ['HDAB_TEAM'] });
    await expect(other.get(alice, '100')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('assigns to me, refuses a task someone else has, and lets only the assignee unassign', async () => {
    const { service, engine } = setup();
    await expect(service.assignToMe(rita, '100')).resolves.toEqual({ userTaskKey: '100', assignee: 'rita' });
    await expect(service.assignToMe(victor, '100')).rejects.toBeInstanceOf(ConflictError);
    await expect(service.unassign(victor, '100')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.unassign(rita, '100')).resolves.toEqual({ userTaskKey: '100', assignee: null });
    expect(engine.assignments).toEqual([
      { userTaskKey: '100', assignee: 'rita' },
      { userTaskKey: '100', assignee: null },
    ]);
  });

  it('answers 404 for a task the engine does not know', async () => {
    const { service } = setup();
    await expect(service.get(rita, '999')).rejects.toBeInstanceOf(NotFoundError);
  });
});
