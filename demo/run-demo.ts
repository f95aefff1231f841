/**
 * Runs the demo script against a platform over HTTP: creates (or picks up) the permit, then takes each step of
 * `DEMO_STEPS` in turn. A step that has happened already is skipped; one whose moment has not come waits for the
 * processes; one whose call is refused because the process is not there yet is tried again; a step that does not
 * reach what it expects in time fails the run. The platform going away mid-way is waited out (see demo-api.ts);
 * a change whose answer was lost or that was answered 503 is checked against the permit and made again, up to
 * `maxLostAnswers` times in a row.
 */
import { TERMINAL_STATUSES } from '../shared/index.js';
import type { DemoApi } from './demo-api.js';
import { readAudit, readDeliveries, readPermitVersion, takeSnapshot, type DemoSnapshot, type PermitView } from './demo-snapshot.js';
import { DEMO_STEPS, demoApplication, type DemoStep, type StepAnswer } from './demo-steps.js';
import { buildTimeline, describeChanges, type TimelineEntry } from './demo-timeline.js';

export interface DemoReporter {
  permitReady(permit: PermitView, how: 'created' | 'resumed'): void;
  stepStarted(index: number, total: number, step: DemoStep): void;
  /** What the step is waiting for now (called on every poll; a display shows the latest). */
  stepWaiting(index: number, what: string): void;
  stepFinished(index: number, total: number, step: DemoStep, outcome: { resumed: boolean; ms: number; details: string[] }): void;
  platformOutage(down: boolean, detail?: string): void;
  /** The API's rate limit asked for a pause. */
  throttled?(retryAfterSeconds: number): void;
}

export interface DemoOptions {
  api: DemoApi;
  reporter: DemoReporter;
  /** The script; default `DEMO_STEPS`. */
  steps?: readonly DemoStep[];
  /** Stop after the step with this id (to look around); a later run with `permitId` carries on from there. */
  stopAfter?: string;
  /** Continue this permit instead of creating one. */
  permitId?: string;
  /** How long a step may take, not counting time the platform was unreachable; default 120 s. */
  stepTimeoutMs?: number;
  /** How often to look at the permit while waiting; default 400 ms. */
  pollMs?: number;
  /** Longest gap between full snapshots when the permit itself does not change; default 2 s. */
  fullSnapshotMs?: number;
  /** Closure's grace period before the data is deleted; default 5 seconds (a real permit defaults to 30 days). */
  deletionGracePeriod?: string;
  /**
   * How many changes in a row may end without an answer (lost on the way, or answered 503) before the run gives up
   * on the step; after each one the runner looks at the permit and acts again only if it has not taken effect.
   * Default 20.
   */
  maxLostAnswers?: number;
  /** Told the permit id as soon as it exists (the CLI remembers it for --resume). */
  onPermit?: (permitId: string) => void;
  now?: () => Date;
}

export interface DemoResult {
  permitId: string;
  /** Every step ran (false when stopped early with `stopAfter`). */
  complete: boolean;
  final: DemoSnapshot;
  timeline: TimelineEntry[];
  steps: Array<{ id: string; actor: string; ms: number; resumed: boolean }>;
}

export class DemoStepError extends Error {
  constructor(
    readonly step: DemoStep,
    message: string,
    readonly permitStatus: string | undefined,
  ) {
    super(message);
    this.name = 'DemoStepError';
  }
}

const ACCEPTED = [200, 201, 202] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function problemText(answer: StepAnswer): string {
  const body = answer.body as { detail?: string; title?: string };
  return `HTTP ${answer.status}: ${body.detail ?? body.title ?? JSON.stringify(answer.body)}`;
}

function lostAnswerText(answer: StepAnswer): string {
  const detail = (answer.body as { detail?: string }).detail;
  return detail ?? 'the answer was lost when the platform went down';
}

/** "Not yet": the process has not reached the point where it waits for this call. */
function isNotYet(answer: StepAnswer): boolean {
  return answer.status === 0 || answer.status === 409 || answer.lostInFlight;
}

async function createPermit(options: DemoOptions, runId: string): Promise<{ permit: PermitView; how: 'created' | 'resumed' }> {
  const { api } = options;
  if (options.permitId) {
    const answer = await api.call<PermitView>('alice', 'GET', `/permits/${options.permitId}`);
    if (answer.status !== 200) throw new Error(`Cannot resume permit ${options.permitId}: ${problemText(answer)}. Run \`npm run demo\` without --resume to start a new one.`);
    return { permit: answer.body, how: 'resumed' };
  }
  const application = demoApplication(runId, options.now?.() ?? new Date(), options.deletionGracePeriod ?? 'PT5S');
  // The same key on every attempt: a repeat after a lost answer gets the first answer back, not a second permit.
  const idempotencyKey = `demo-create-${runId}`;
  const maxLost = options.maxLostAnswers ?? DEFAULT_MAX_LOST_ANSWERS;
  for (let lost = 0; ; ) {
    const answer = await api.call<PermitView>('alice', 'POST', '/permits', application, { idempotencyKey });
    if (answer.status === 201) return { permit: answer.body, how: 'created' };
    // 409 here: the first attempt with this key is still being carried out; ask again for its answer.
    if (!answer.lostInFlight && answer.status !== 409) throw new Error(`Alice could not create the demo permit: ${problemText(answer)}`);
    lost += 1;
    if (lost >= maxLost) {
      throw new Error(
        `Alice's application got no answer ${lost} times in a row (last: ${problemText(answer)}). The platform keeps failing to create permits: look at its log, then run \`npm run demo\` again.`,
      );
    }
    // The permit may exist already (its title carries the run id); otherwise send the same create again.
    const found = await api.call<{ items: PermitView[] }>('alice', 'GET', `/permits?q=${encodeURIComponent(runId)}`);
    const permit = found.status === 200 ? found.body.items[0] : undefined;
    if (permit) return { permit, how: 'created' };
    await sleep(Math.min(5_000, 250 * lost));
  }
}

const DEFAULT_MAX_LOST_ANSWERS = 20;

const deliveriesOf = (snapshot: DemoSnapshot, template: string) => snapshot.deliveries.filter((d) => d.template === template).length;

/**
 * Have the notifications a step causes been delivered? A new round of each of its templates is in the ledger, no
 * copy is still being sent (`claimed`), and the ledger did not grow since the last look (recipients are told one
 * after the other). Waiting for this keeps each notification under the step whose action caused it: the status a
 * step waits for is set before the process goes on to notify, so without it they showed up under the next step.
 */
function notificationsDelivered(step: DemoStep, before: DemoSnapshot, now: DemoSnapshot, deliveriesAtLastLook: number): boolean {
  return (
    (step.notifies ?? []).every((template) => deliveriesOf(now, template) > deliveriesOf(before, template)) &&
    now.deliveries.every((d) => d.status !== 'claimed') &&
    now.deliveries.length === deliveriesAtLastLook
  );
}

async function runStep(options: DemoOptions, permitId: string, step: DemoStep, index: number, before: DemoSnapshot): Promise<{ snapshot: DemoSnapshot; resumed: boolean }> {
  const { api, reporter } = options;
  const timeoutMs = options.stepTimeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 400;
  const fullSnapshotMs = options.fullSnapshotMs ?? 2_000;
  let snapshot = before;
  let acted = false;
  let actedSeen = false;
  let lastRefusal = '';
  let lostAnswers = 0;
  const maxLost = options.maxLostAnswers ?? DEFAULT_MAX_LOST_ANSWERS;
  // A step that only waits (no call) causes its notifications when it was not done at the first look.
  const waitsForProcess = !step.act && !step.done(before);
  let deliveriesAtLastLook = -1;
  const started = Date.now();
  const downtimeBefore = api.downtime();
  // Time the platform was down (killed, restarting) is not the step's fault.
  const elapsed = () => Date.now() - started - (api.downtime() - downtimeBefore);
  for (;;) {
    const status = snapshot.permit.status;
    if (step.done(snapshot)) {
      const caused = acted || waitsForProcess;
      if (!caused || !step.notifies?.length || notificationsDelivered(step, before, snapshot, deliveriesAtLastLook)) return { snapshot, resumed: !acted && step.act !== undefined };
      if (elapsed() > timeoutMs) {
        throw new DemoStepError(step, `Step "${step.title}" reached ${step.expect}, but its notifications (${step.notifies.join(', ')}) were not delivered within ${(timeoutMs / 1000).toFixed(0)} s.`, status);
      }
      reporter.stepWaiting(index, `waiting for the notifications it causes (${step.notifies.join(', ')})`);
      deliveriesAtLastLook = snapshot.deliveries.length;
      await sleep(pollMs);
      snapshot = { ...snapshot, deliveries: await readDeliveries(api, permitId) };
      continue;
    }
    if (TERMINAL_STATUSES.includes(status)) {
      throw new DemoStepError(step, `Step "${step.title}" expected ${step.expect}, but the permit ended ${status}.`, status);
    }
    const canAct = step.readyIn.includes(status) && (step.ready?.(snapshot) ?? true);
    if (step.act && !acted && canAct) {
      const answer = await step.act(api, snapshot);
      if ((ACCEPTED as readonly number[]).includes(answer.status)) acted = true;
      else if (isNotYet(answer)) lastRefusal = answer.lostInFlight ? `${lostAnswerText(answer)}; checking whether it took effect` : problemText(answer);
      else throw new DemoStepError(step, `Step "${step.title}" was refused: ${problemText(answer)}`, status);
      // A lost answer (or a 503): the next look at the permit says whether it took effect; if not, act again.
      lostAnswers = answer.lostInFlight ? lostAnswers + 1 : 0;
      if (lostAnswers >= maxLost) {
        throw new DemoStepError(
          step,
          `Step "${step.title}" got no answer ${lostAnswers} times in a row (last: ${lostAnswerText(answer)}), and the permit is still ${status}. The platform keeps failing this change: look at its log and its incidents (GET /api/operations/incidents), then run \`npm run demo -- --resume\`.`,
          status,
        );
      }
    }
    if (elapsed() > timeoutMs) {
      const why = lastRefusal ? ` The last answer was ${lastRefusal}.` : '';
      throw new DemoStepError(step, `Step "${step.title}" did not reach ${step.expect} within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)} s: the permit is ${status}.${why}`, status);
    }
    reporter.stepWaiting(
      index,
      acted || !step.act ? `waiting for ${step.expect} (permit ${status})` : canAct ? `the process is not ready yet (${lastRefusal})` : `waiting for the permit to reach ${step.readyIn.join(' or ')} (now ${status})`,
    );
    await sleep(pollMs);
    // A cheap look at the permit each time; the full snapshot (six reads) when it changed, right after acting,
    // or every couple of seconds, which keeps a demo well inside the API's per-user rate limit.
    const justActed = acted && !actedSeen;
    actedSeen = acted;
    if (!justActed && Date.now() - snapshot.takenAt.getTime() < fullSnapshotMs && (await readPermitVersion(api, permitId)) === snapshot.permit.version) continue;
    snapshot = await takeSnapshot(api, permitId);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { api, reporter } = options;
  const script = options.steps ?? DEMO_STEPS;
  if (options.stopAfter !== undefined && !script.some((step) => step.id === options.stopAfter)) {
    throw new Error(`There is no demo step "${options.stopAfter}"; the steps are ${script.map((step) => step.id).join(', ')}.`);
  }
  const runId = Math.random().toString(36).slice(2, 8);
  const { permit, how } = await createPermit(options, runId);
  options.onPermit?.(permit.id);
  reporter.permitReady(permit, how);

  let snapshot = await takeSnapshot(api, permit.id);
  const steps: DemoResult['steps'] = [];
  for (const [index, step] of script.entries()) {
    const started = Date.now();
    reporter.stepStarted(index, script.length, step);
    const before = snapshot;
    const outcome = await runStep(options, permit.id, step, index, snapshot);
    snapshot = outcome.snapshot;
    const ms = Date.now() - started;
    steps.push({ id: step.id, actor: step.actor, ms, resumed: outcome.resumed });
    reporter.stepFinished(index, script.length, step, { resumed: outcome.resumed, ms, details: describeChanges(before, snapshot) });
    if (step.id === options.stopAfter) break;
  }
  return { permitId: permit.id, complete: steps.length === script.length, final: snapshot, timeline: buildTimeline(snapshot, await readAudit(api, permit.id)), steps };
}
