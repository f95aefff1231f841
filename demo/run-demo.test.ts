import { describe, expect, it } from 'vitest';
import type { DemoApi } from './demo-api.js';
import type { DeliveryView, HistoryEntry, PermitView } from './demo-snapshot.js';
import type { DemoStep, StepAnswer } from './demo-steps.js';
import { DemoStepError, runDemo, type DemoReporter } from './run-demo.js';

/** A platform in memory: one permit whose status the test moves, and a log of the calls that changed something. */
function fakePlatform(initial: PermitView['status'] = 'DRAFT') {
  const permit: PermitView = { id: '11111111-1111-4111-8111-111111111111', title: 'Demo (demo abc)', status: initial, version: 1, allowedActions: [] };
  const history: HistoryEntry[] = [{ previousStatus: null, newStatus: initial, actor: 'alice', reason: null, occurredAt: new Date().toISOString() }];
  const changes: string[] = [];
  const deliveries: DeliveryView[] = [];
  /** Called on every read of the notifications, before answering (a test delivers late from here). */
  const onNotificationsRead: Array<() => void> = [];
  /** Answers the next creates get instead of a 201 (e.g. lost ones), and the Idempotency-Key each create carried. */
  const createAnswers: StepAnswer[] = [];
  const createKeys: Array<string | undefined> = [];
  const move = (status: PermitView['status']) => {
    history.push({ previousStatus: permit.status, newStatus: status, actor: 'workers', reason: null, occurredAt: new Date().toISOString() });
    permit.status = status;
    permit.version += 1;
  };
  const ok = (body: unknown): StepAnswer => ({ status: 200, body, lostInFlight: false });
  const api = {
    baseUrl: 'http://fake',
    isUp: async () => true,
    tokenFor: async () => 'token',
    downtime: () => 0,
    call: async (user: string, method: string, path: string, _body?: unknown, extra?: { idempotencyKey?: string }) => {
      if (method === 'POST' && path === '/permits') {
        createKeys.push(extra?.idempotencyKey);
        const lost = createAnswers.shift();
        if (lost) return lost;
        changes.push(`${user} created`);
        return { status: 201, body: permit, lostInFlight: false };
      }
      if (method === 'GET' && path.startsWith('/permits?q=')) return ok({ items: [] });
      const base = `/permits/${permit.id}`;
      if (method !== 'GET') throw new Error(`unexpected ${method} ${path}`);
      if (path === base) return ok({ ...permit });
      if (path === `${base}/history`) return ok([...history]);
      if (path === `${base}/reviews` || path === `${base}/egress-requests`) return ok([]);
      if (path === `${base}/workspaces`) return ok({ items: [] });
      if (path === `${base}/notifications`) {
        for (const hook of onNotificationsRead) hook();
        return ok({ items: deliveries.map((d) => ({ ...d })) });
      }
      if (path.startsWith('/audit?')) return ok({ items: [], nextAfterSeq: null });
      throw new Error(`unexpected GET ${path}`);
    },
  } as unknown as DemoApi;
  return { api, permit, history, move, changes, deliveries, onNotificationsRead, createAnswers, createKeys };
}

const quietReporter = (): DemoReporter & { waits: string[]; finished: Array<{ id: string; resumed: boolean; details: string[] }> } => {
  const waits: string[] = [];
  const finished: Array<{ id: string; resumed: boolean; details: string[] }> = [];
  return {
    waits,
    finished,
    permitReady: () => undefined,
    stepStarted: () => undefined,
    stepWaiting: (_i, what) => waits.push(what),
    stepFinished: (_i, _t, step, outcome) => finished.push({ id: step.id, resumed: outcome.resumed, details: outcome.details }),
    platformOutage: () => undefined,
  };
};

const answer = (status: number, lostInFlight = false): StepAnswer => ({ status, body: { detail: `answer ${status}` }, lostInFlight });

/** Alice submits a DRAFT permit; done once it is SUBMITTED. */
const submitStep = (act: DemoStep['act']): DemoStep => ({
  id: 'submit',
  actor: 'alice',
  title: 'submit',
  expect: 'SUBMITTED',
  readyIn: ['DRAFT'],
  done: (s) => s.permit.status === 'SUBMITTED',
  ...(act ? { act } : {}),
});

describe('runDemo', () => {
  it('reports a notification under the step whose action caused it, also when it is delivered after the status change', async () => {
    const platform = fakePlatform('DRAFT');
    let readsAfterSubmit = 0;
    // The process sets SUBMITTED first and notifies afterwards: the email is claimed two reads later, sent one after.
    platform.onNotificationsRead.push(() => {
      if (platform.permit.status !== 'SUBMITTED') return;
      readsAfterSubmit += 1;
      const delivery = { template: 'application-submitted', recipient: 'rita', channel: 'email', claimedAt: new Date().toISOString(), deliveredAt: null };
      if (readsAfterSubmit === 2) platform.deliveries.push({ ...delivery, status: 'claimed' });
      if (readsAfterSubmit === 3) platform.deliveries[0]!.status = 'sent';
    });
    const steps: DemoStep[] = [
      { ...submitStep(async () => (platform.move('SUBMITTED'), answer(202))), notifies: ['application-submitted'] },
      { id: 'look', actor: 'platform', title: 'look', expect: 'SUBMITTED', readyIn: ['SUBMITTED'], done: () => true },
    ];
    const reporter = quietReporter();
    await runDemo({ api: platform.api, reporter, steps, pollMs: 1 });
    expect(reporter.finished.map((f) => [f.id, f.details])).toEqual([
      ['submit', ['status DRAFT → SUBMITTED by workers', 'notified rita (email): application-submitted']],
      ['look', []],
    ]);
    expect(reporter.waits).toContain('waiting for the notifications it causes (application-submitted)');
  });

  it('acts once per step, waits for the expected state, and skips what has already happened', async () => {
    const platform = fakePlatform('DRAFT');
    let submitted = 0;
    const steps: DemoStep[] = [
      {
        id: 'submit',
        actor: 'alice',
        title: 'submit',
        expect: 'UNDER_ASSESSMENT',
        readyIn: ['DRAFT'],
        done: (s) => s.history.some((h) => h.newStatus === 'UNDER_ASSESSMENT'),
        act: async () => {
          submitted += 1;
          setTimeout(() => {
            platform.move('SUBMITTED');
            platform.move('UNDER_ASSESSMENT');
          }, 30);
          return answer(202);
        },
      },
      // Already true when reached: reported as resumed, never acted.
      { id: 'noop', actor: 'rita', title: 'noop', expect: 'anything', readyIn: ['UNDER_ASSESSMENT'], done: () => true, act: async () => Promise.reject(new Error('must not act')) },
    ];
    const reporter = quietReporter();
    const result = await runDemo({ api: platform.api, reporter, steps, pollMs: 5 });
    expect(submitted).toBe(1);
    expect(result.steps.map((s) => [s.id, s.resumed])).toEqual([
      ['submit', false],
      ['noop', true],
    ]);
    expect(reporter.finished[0]!.details).toEqual(['status DRAFT → SUBMITTED by workers', 'status SUBMITTED → UNDER_ASSESSMENT by workers']);
  });

  it('tries again while the process is not there yet (409), then goes on', async () => {
    const platform = fakePlatform('DRAFT');
    const answers = [answer(409), answer(409), answer(202)];
    const step = submitStep(async () => {
      const next = answers.shift()!;
      if (next.status === 202) platform.move('SUBMITTED');
      return next;
    });
    const reporter = quietReporter();
    await runDemo({ api: platform.api, reporter, steps: [step], pollMs: 5 });
    expect(answers).toEqual([]);
    expect(reporter.waits.some((w) => w.includes('not ready yet (HTTP 409: answer 409)'))).toBe(true);
  });

  it('checks whether a change whose answer was lost took effect before sending it again', async () => {
    const platform = fakePlatform('DRAFT');
    let calls = 0;
    const step = submitStep(async () => {
      calls += 1;
      platform.move('SUBMITTED'); // it took effect, but the answer never came
      return answer(-1, true);
    });
    await runDemo({ api: platform.api, reporter: quietReporter(), steps: [step], pollMs: 5 });
    expect(calls).toBe(1);
  });

  it('acts again when a lost answer (or a 503) did not take effect, and goes on once one is accepted', async () => {
    const platform = fakePlatform('DRAFT');
    const answers = [answer(-1, true), answer(-1, true), answer(202)];
    let calls = 0;
    const step = submitStep(async () => {
      calls += 1;
      const next = answers.shift()!;
      if (next.status === 202) platform.move('SUBMITTED');
      return next;
    });
    const result = await runDemo({ api: platform.api, reporter: quietReporter(), steps: [step], pollMs: 1 });
    expect([calls, result.complete]).toEqual([3, true]);
  });

  it('gives up on a step whose change gets no answer maxLostAnswers times in a row, saying what to do', async () => {
    const platform = fakePlatform('DRAFT');
    let calls = 0;
    const step = submitStep(async () => {
      calls += 1;
      return { status: -1, body: { detail: 'the platform answered 503 (could not complete user task: DEADLINE_EXCEEDED); it may or may not have taken effect' }, lostInFlight: true };
    });
    await expect(runDemo({ api: platform.api, reporter: quietReporter(), steps: [step], pollMs: 1, maxLostAnswers: 3 })).rejects.toThrow(
      /Step "submit" got no answer 3 times in a row \(last: the platform answered 503 \(could not complete user task: DEADLINE_EXCEEDED\).*\), and the permit is still DRAFT\. .*--resume/,
    );
    expect(calls).toBe(3);
  });

  it('creates the permit with an Idempotency-Key and sends the same key again after a lost answer', async () => {
    const platform = fakePlatform('DRAFT');
    platform.createAnswers.push(answer(-1, true), answer(409));
    const result = await runDemo({ api: platform.api, reporter: quietReporter(), steps: [], pollMs: 1 });
    expect(result.permitId).toBe(platform.permit.id);
    expect(platform.changes).toEqual(['alice created']);
    expect(platform.createKeys).toHaveLength(3);
    expect(new Set(platform.createKeys).size).toBe(1);
    expect(platform.createKeys[0]).toMatch(/^demo-create-[a-z0-9]+$/);
  });

  it('fails a step that does not reach what it expects in time, naming the status and the last answer', async () => {
    const platform = fakePlatform('DRAFT');
    const step: DemoStep = { id: 'submit', actor: 'alice', title: 'Alice submits', expect: 'the application under assessment', readyIn: ['DRAFT'], done: () => false, act: async () => answer(409) };
    const error = await runDemo({ api: platform.api, reporter: quietReporter(), steps: [step], pollMs: 5, stepTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoStepError);
    expect((error as DemoStepError).permitStatus).toBe('DRAFT');
    expect((error as Error).message).toBe(
      'Step "Alice submits" did not reach the application under assessment within 0.1 s: the permit is DRAFT. The last answer was HTTP 409: answer 409.',
    );
  });

  it('does not count time the platform was unreachable against the step', async () => {
    const platform = fakePlatform('DRAFT');
    const t0 = Date.now();
    // The first 300 ms are an outage (the fake API reports them as downtime); the step may then take 100 ms more.
    (platform.api as { downtime: () => number }).downtime = () => Math.min(Date.now() - t0, 300);
    const step = submitStep(async () => answer(409));
    const error = await runDemo({ api: platform.api, reporter: quietReporter(), steps: [step], pollMs: 5, stepTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoStepError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('fails at once on a refusal that waiting cannot cure, and when the permit ends early', async () => {
    const refused = fakePlatform('DRAFT');
    const step: DemoStep = { id: 'submit', actor: 'alice', title: 'Alice submits', expect: 'SUBMITTED', readyIn: ['DRAFT'], done: () => false, act: async () => answer(403) };
    await expect(runDemo({ api: refused.api, reporter: quietReporter(), steps: [step], pollMs: 5 })).rejects.toThrow('Step "Alice submits" was refused: HTTP 403: answer 403');

    const ended = fakePlatform('REJECTED');
    await expect(runDemo({ api: ended.api, reporter: quietReporter(), steps: [step], pollMs: 5 })).rejects.toThrow('Step "Alice submits" expected SUBMITTED, but the permit ended REJECTED.');
  });
});
