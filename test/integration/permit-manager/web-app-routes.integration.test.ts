/**
 * The REST routes the web app added, over HTTP on the real platform: a task read with its form, assign to me and
 * unassign (409 naming who has it, 403 for someone else's), the permit's process view (hidden from people not on
 * the permit, an instance of another permit refused), and the operators' incidents (admins only, unknown 404).
 * Every refusal is problem+json and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_IDS } from '../../../shared/index.js';
import { startPermitManagerForTest, type PermitManagerForTest } from '../support/start-permit-manager-for-test.js';
import { createPermit, expectStatus, waitForTask } from '../support/permit-manager-client.js';
import { submittedPermit, usersOf, type Users } from './drive-permit.js';

const PROBLEM = /^application\/problem\+json/;

describe('REST routes of the web app', () => {
  let pm: PermitManagerForTest;
  let users: Users;

  beforeAll(async () => {
    pm = await startPermitManagerForTest();
    users = await usersOf(pm);
  });
  afterAll(async () => pm?.stop());

  it('reads a task with its form and prefilled values, and assigns it without taking it from anyone', async () => {
    const permit = await submittedPermit(pm, users);
    const task = await waitForTask(users.rita, permit.id, FORM_IDS.applicationAssessment);
    const detail = expectStatus(await users.rita.get<{ form: { formId: string; schema: { components: unknown[] } }; variables: Record<string, unknown>; task: { permit: { title: string } } }>(`/tasks/${task.userTaskKey}`), 200, 'task detail').body;
    expect(detail.form.formId).toBe(FORM_IDS.applicationAssessment);
    expect(detail.form.schema.components.length).toBeGreaterThan(0);
    expect(detail.variables).toHaveProperty('validUntil');
    // The context the form's texts read (as Tasklist hands the form every variable the task sees), not only its fields.
    expect(detail.variables).toMatchObject({ permitId: permit.id, permitTitle: permit.title, applicantName: expect.any(String) });
    expect(detail.task.permit.title).toBe(permit.title);

    expect(expectStatus(await users.rita.post(`/tasks/${task.userTaskKey}/assignment`), 200, 'rita assigns').body).toEqual({ userTaskKey: task.userTaskKey, assignee: 'rita' });
    const taken = await users.victor.post<{ detail: string }>(`/tasks/${task.userTaskKey}/assignment`);
    expect(taken.status).toBe(409);
    expect(taken.headers.get('content-type')).toMatch(PROBLEM);
    expect(taken.body.detail).toMatch(/assigned to rita/);
    expect((await users.victor.delete(`/tasks/${task.userTaskKey}/assignment`)).status).toBe(403);
    expect((await users.rita.get<Array<{ userTaskKey: string; assignee: string | null }>>('/tasks')).body.find((t) => t.userTaskKey === task.userTaskKey)?.assignee).toBe('rita');
    expect(expectStatus(await users.rita.delete(`/tasks/${task.userTaskKey}/assignment`), 200, 'rita unassigns').body).toEqual({ userTaskKey: task.userTaskKey, assignee: null });

    // alice (researcher) has no task groups: the task is not hers to see.
    expect([403, 404]).toContain((await users.alice.get(`/tasks/${task.userTaskKey}`)).status);
    const bad = await users.rita.get('/tasks/not-a-key');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(PROBLEM);
  });

  it("draws the permit's process for the people on it and nobody else", async () => {
    const permit = await createPermit(users.alice);
    const view = await expectStatus(
      await users.alice.get<{ processDefinitionId: string; xml: string; activeElementIds: string[]; calledProcesses: Array<{ processInstanceKey: string }> }>(`/permits/${permit.id}/process`),
      200,
      'process view',
    ).body;
    expect(view.processDefinitionId).toBe('spe-permit-lifecycle');
    expect(view.xml).toContain('<bpmn:definitions');
    expect(view.activeElementIds.length).toBeGreaterThan(0);
    expect(view.calledProcesses.length).toBeGreaterThan(0);
    const called = await users.alice.get<{ processDefinitionId: string }>(`/permits/${permit.id}/process?processInstanceKey=${view.calledProcesses[0]!.processInstanceKey}`);
    expect(called.status).toBe(200);
    expect(called.body.processDefinitionId).toBe('spe-permit-application');

    expect((await users.dana.get(`/permits/${permit.id}/process`)).status).toBe(404);
    const other = await createPermit(users.alice);
    const otherView = (await users.alice.get<{ processInstanceKey: string }>(`/permits/${other.id}/process`)).body;
    const foreign = await users.alice.get(`/permits/${permit.id}/process?processInstanceKey=${otherView.processInstanceKey}`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('lists incidents for administrators only and refuses an unknown one', async () => {
    const adam = { get: users.adam.get, post: users.adam.post };
    expect(expectStatus(await adam.get<{ items: unknown[] }>('/operations/incidents'), 200, 'incidents').body.items).toEqual([]);
    expect((await users.alice.get('/operations/incidents')).status).toBe(403);
    expect((await users.rita.post('/operations/incidents/123/retry')).status).toBe(403);
    const unknown = await adam.post('/operations/incidents/123/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(PROBLEM);
  });
});
