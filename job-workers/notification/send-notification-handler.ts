/**
 * `notification.send`: tells the header `audience` of the permit about something with the header `template`.
 * Recipients come from the permit's team in the database (`audiences.ts`); the template is rendered once with the
 * permit, the job's variables and the catalog entry; each channel sends each copy at most once
 * (`deliver-notification.ts`, idempotency key `notification.send/<permitId>/<elementInstanceKey>`).
 *
 * Errors: an unknown template, audience or permit is an incident at once (NonRetryableError); copies that failed
 * only because their service was unreachable (connection refused/timeout, 4xx) hold the job with a growing back-off
 * (5 s doubling to 5 min) for up to 12 attempts, about 30 min, without using a retry (`delivery-outage.ts`); any
 * other failed copy fails the job with a retry and back-off (TransientError) — the retry sends only what has not
 * gone out; a copy another delivery of the job is still sending holds the job (HoldJobError) without using up a
 * retry.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { NOTIFICATION_AUDIENCES, PROCESS_VARIABLES, TASK_HEADERS } from '../../shared/index.js';
import { HoldJobError, NonRetryableError, TransientError } from '../runtime/job-errors.js';
import { booleanHeader, optionalHeader, readHeaders, readVariables } from '../runtime/job-input.js';
import { jobIdempotencyKey, type JobHandler } from '../runtime/worker-job.js';
import { resolveAudience } from './audiences.js';
import type { NotificationChannel, OutgoingNotification } from './channels/notification-channel.js';
import { deliverNotification, type DeliverySummary } from './deliver-notification.js';
import { DEFAULT_OUTAGE_RETRY, outageBackOffMs, type OutageRetryPolicy } from './delivery-outage.js';
import { buildNotificationContext, peopleNamedIn } from './notification-context.js';
import { createNotificationLinks } from './notification-links.js';
import type { NotificationStore } from './notification-store.js';
import { isTemplateId, TEMPLATE_CATALOG } from './template-catalog.js';
import { TemplateVariableError } from './template-renderer.js';
import { TemplateError, type TemplateStore } from './template-store.js';

export interface SendNotificationDeps {
  store: NotificationStore;
  channels: readonly NotificationChannel[];
  templates: TemplateStore;
  /** Base of the links (PUBLIC_URL); refused here when not an absolute http(s) URL. */
  publicUrl: string;
  /** Who the `operators` audience is (user ids in the directory). */
  operatorUserIds?: readonly string[];
  /** Throw on a template name the context lacks (tests); otherwise render it empty and log an error. */
  strictTemplates?: boolean;
  /** How long a claimed copy counts as being sent by another delivery (default 2 minutes). */
  leaseMs?: number;
  /** How long a job waits when another delivery holds a copy (default 15 s). */
  holdMs?: number;
  /** How an unreachable service is waited out (default 5 s doubling to 5 min, 12 attempts: `delivery-outage.ts`). */
  outageRetry?: OutageRetryPolicy;
}

const Headers = z.object({
  [TASK_HEADERS.template]: z.string().min(1),
  [TASK_HEADERS.audience]: z.enum(NOTIFICATION_AUDIENCES),
  [TASK_HEADERS.critical]: optionalHeader(booleanHeader),
});

const Variables = z.object({
  [PROCESS_VARIABLES.permitId]: z.string().min(1, 'must not be empty'),
  dataHolder: z.string().optional().catch(undefined),
});

export function createSendNotificationHandler(deps: SendNotificationDeps): JobHandler {
  const leaseMs = deps.leaseMs ?? 120_000;
  const holdMs = deps.holdMs ?? 15_000;
  // Copies a mail server acknowledged whose ledger write failed, recorded (not re-sent) by the next delivery.
  const acknowledged = new Map<string, string | undefined>();
  const links = createNotificationLinks(deps.publicUrl);
  return async (job, logger) => {
    const headers = readHeaders(job, Headers);
    const { permitId, dataHolder } = readVariables(job, Variables);
    const template = headers.template;
    if (!isTemplateId(template)) throw new NonRetryableError(`template "${template}" is unknown (known: see docs/notifications.md); fix the task header`);
    const spec = TEMPLATE_CATALOG[template];
    const log = logger.child({ template, audience: headers.audience, permitId });

    const permit = await deps.store.permit(permitId);
    if (!permit) throw new NonRetryableError(`permit ${permitId} does not exist, so there is no one to tell`);

    const recipients = await resolveAudience(deps.store, { permitId, audience: headers.audience, dataHolder, operatorUserIds: deps.operatorUserIds ?? [] }, log);
    if (recipients.length === 0) log.warn(`no one on permit ${permitId} is in audience ${headers.audience}; only channel posts (if any) go out`);
    const [preferences, people] = await Promise.all([
      deps.store.preferences(recipients.map((r) => r.userId)),
      deps.store.users(peopleNamedIn(spec, job.variables)),
    ]);

    const context = buildNotificationContext({
      spec,
      permit,
      variables: job.variables,
      bpmnProcessId: job.bpmnProcessId,
      links,
      people: new Map(people.map((p) => [p.userId, p])),
    });
    let content: OutgoingNotification['content'];
    try {
      const loaded = await deps.templates.load(template);
      content = {
        ...loaded.render(context, {
          strict: deps.strictTemplates ?? false,
          onMissing: (name) => log.error({ variable: name }, `template ${template} uses {{${name}}}, which the context does not have; rendered empty`),
        }),
        link: context.link,
      };
    } catch (error) {
      if (error instanceof TemplateError || error instanceof TemplateVariableError) throw new NonRetryableError(error.message, { cause: error });
      throw error;
    }

    const notification: OutgoingNotification = {
      idempotencyKey: jobIdempotencyKey(job, permitId),
      permitId,
      template,
      audience: headers.audience,
      critical: headers.critical ?? false,
      content,
    };
    const summary = await deliverNotification({ store: deps.store, channels: deps.channels, notification, recipients, preferences, leaseMs, logger: log, acknowledged });
    report(job, summary, holdMs, deps.outageRetry ?? DEFAULT_OUTAGE_RETRY, log);
  };
}

function report(job: Parameters<JobHandler>[0], summary: DeliverySummary, holdMs: number, outage: OutageRetryPolicy, logger: Logger): void {
  const counts = { sent: summary.sent, alreadySent: summary.alreadySent, busy: summary.busy, silenced: summary.silenced, failed: summary.failures.length };
  if (summary.failures.length > 0) {
    const what = summary.failures.map((f) => `${f.channel} to ${f.recipient}: ${f.error}`).join('; ');
    const done = `${summary.sent + summary.alreadySent} went out and are not sent again on retry`;
    // Only outages, each copy still within its budget: wait (growing back-off) without using a retry.
    const attempts = summary.failures.every((f) => f.outage && f.attempts !== undefined) ? Math.max(...summary.failures.map((f) => f.attempts ?? 0)) : undefined;
    if (attempts !== undefined && attempts < outage.attempts) {
      const backOffMs = outageBackOffMs(attempts, outage);
      logger.warn({ ...counts, attempts, backOffMs }, `notification ${job.elementId}: the service is unreachable; waiting ${Math.round(backOffMs / 1000)} s (attempt ${attempts} of ${outage.attempts} before retries count)`);
      throw new HoldJobError(
        `${summary.failures.length} deliveries could not reach their service (${what}); attempt ${attempts} of ${outage.attempts}, trying again in ${Math.round(backOffMs / 1000)} s; ${done}`,
        backOffMs,
      );
    }
    throw new TransientError(`${summary.failures.length} deliveries failed (${what}); ${done}`);
  }
  if (summary.busy > 0) {
    throw new HoldJobError(`${summary.busy} deliveries are being sent by another delivery of this job; checking again later`, holdMs);
  }
  logger.info(counts, `notification ${job.elementId} done`);
}
