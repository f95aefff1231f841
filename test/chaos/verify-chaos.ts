/**
 * What a chaos run must leave behind: every permit CLOSED along the one expected status path; its notifications
 * exactly once per recipient and channel (the ledger) and its emails once each at the mail server (by
 * Message-ID); its workspace changes once each in the audit trail and no workspace object left; no audit entry
 * twice; every outbox event id on RabbitMQ; and the audit chain verifying. Returns counts and the problems found.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { createDatabase, TABLES, verifyAuditLog } from '../../db/index.js';
import { createDemoApi } from '../../demo/demo-api.js';
import { readAudit, takeSnapshot } from '../../demo/demo-snapshot.js';
import { buildTimeline } from '../../demo/demo-timeline.js';
import { deliveryLines, EXPECTED_DELIVERIES, EXPECTED_STATUS_PATH, EXPECTED_WORKSPACE_CHANGES, workspaceChanges } from '../demo/support/demo-expectations.js';
import type { ChaosEnvironment } from './chaos-run.js';

export interface ChaosVerdict {
  ok: boolean;
  problems: string[];
  counts: Record<string, number | string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function verifyChaos(env: ChaosEnvironment, expectedPermits: number): Promise<ChaosVerdict> {
  const problems: string[] = [...env.failures];
  const api = createDemoApi({ baseUrl: env.gateway.url });
  const db = await createDatabase({ databaseUrl: env.databaseUrl, logger: pino({ level: 'silent' }), poolMax: 2 });
  try {
    if (env.results.length !== expectedPermits) problems.push(`${env.results.length} of ${expectedPermits} permits finished their lifecycle`);

    // Let the relay drain the outbox (the last events may still be on their way) before counting RabbitMQ.
    const unpublished = async () => Number(((await db.knex(TABLES.outboxEvents).whereNull('published_at').count({ n: '*' })) as Array<{ n: string }>)[0]!.n);
    for (let i = 0; i < 120 && (await unpublished()) > 0; i += 1) await sleep(500);
    await sleep(1_000);

    let closed = 0;
    let deliveries = 0;
    let workspaceChangeCount = 0;
    for (const result of env.results) {
      const final = await takeSnapshot(api, result.permitId);
      const label = `permit ${result.permitId}`;
      if (final.permit.status === 'CLOSED') closed += 1;
      else problems.push(`${label} is ${final.permit.status}, not CLOSED`);
      const path = final.history.map((h) => h.newStatus);
      if (JSON.stringify(path) !== JSON.stringify(EXPECTED_STATUS_PATH)) problems.push(`${label}: status path ${path.join(' → ')}`);
      const lines = deliveryLines(final.deliveries);
      deliveries += lines.length;
      if (JSON.stringify(lines) !== JSON.stringify(EXPECTED_DELIVERIES)) problems.push(`${label}: ${lines.length} notification deliveries, expected ${EXPECTED_DELIVERIES.length} (a notification twice or missing)`);
      const changes = workspaceChanges(buildTimeline(final, await readAudit(api, result.permitId)));
      workspaceChangeCount += changes.length;
      if (JSON.stringify(changes) !== JSON.stringify(EXPECTED_WORKSPACE_CHANGES)) problems.push(`${label}: workspace changes ${changes.join(', ')}`);
    }

    // Workspace objects: closure deletes them all; any left over (or written twice under another name) shows here.
    const left = await readdir(join(env.scratch, 'workspaces')).catch(() => [] as string[]);
    if (left.length > 0) problems.push(`workspace objects left for ${left.length} permits: ${left.slice(0, 5).join(', ')}`);

    // Audit entries: no idempotency key twice (the unique constraint), and no two identical entries of one permit.
    const auditRows = (await db.knex(TABLES.auditLog).select('permit_id', 'action', 'actor', 'idempotency_key', 'details')) as Array<Record<string, unknown>>;
    const seen = new Map<string, number>();
    for (const row of auditRows) {
      if (row.idempotency_key === null) continue;
      const key = String(row.idempotency_key);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const duplicateAudit = [...seen.values()].filter((n) => n > 1).length;
    if (duplicateAudit > 0) problems.push(`${duplicateAudit} audit idempotency keys recorded twice`);
    const chain = await verifyAuditLog(db.knex);
    if (!chain.ok) problems.push(`audit chain does not verify: ${chain.problems.slice(0, 3).map((p) => JSON.stringify(p)).join('; ')}`);

    // Emails: once each at the mail server (Message-ID), as many as the ledger's email deliveries.
    const messageIds = env.smtp.received.map((mail) => `${mail.parsed.messageId ?? ''} ${mail.envelopeTo.join(',')}`);
    const distinctEmails = new Set(messageIds).size;
    const expectedEmails = env.results.length * EXPECTED_DELIVERIES.filter((line) => line.endsWith('by email')).length;
    if (distinctEmails !== expectedEmails) problems.push(`${distinctEmails} distinct emails at the mail server, expected ${expectedEmails}`);
    const emailRepeats = messageIds.length - distinctEmails;

    // Engine commands (ADR 0006): every permit action's message delivered, none left pending or stale.
    const commandRows = (await db.knex('engine_commands').select('status', 'attempts')) as Array<{ status: string; attempts: number }>;
    const undelivered = commandRows.filter((row) => row.status !== 'delivered').length;
    if (undelivered > 0) problems.push(`${undelivered} engine commands not delivered (pending or stale)`);
    const redelivered = commandRows.filter((row) => Number(row.attempts) > 1).length;

    // Events: every outbox id reached RabbitMQ; repeats are counted (consumers de-duplicate on the id).
    const outboxIds = ((await db.knex(TABLES.outboxEvents).select('id')) as Array<{ id: string }>).map((r) => r.id);
    const missing = outboxIds.filter((id) => !env.amqp.counts.has(id));
    if (missing.length > 0) problems.push(`${missing.length} of ${outboxIds.length} outbox events never reached RabbitMQ`);
    const repeats = [...env.amqp.counts.values()].reduce((sum, n) => sum + n - 1, 0);

    return {
      ok: problems.length === 0,
      problems,
      counts: {
        'permits CLOSED': `${closed}/${expectedPermits}`,
        'instance kills (SIGKILL)': env.killed,
        'restarts': env.restarts,
        'outages': env.outages.join(', '),
        'incidents retried by the operator': env.incidentsRetried.length,
        'notification deliveries (ledger)': deliveries,
        'emails at the mail server (distinct / received)': `${distinctEmails} / ${messageIds.length}`,
        'emails repeated by the SMTP server': emailRepeats,
        'workspace changes in the audit trail': workspaceChangeCount,
        'audit entries': auditRows.length,
        'engine commands (delivered / redelivered by the relay)': `${commandRows.length - undelivered} / ${redelivered}`,
        'audit chain': chain.ok ? `verifies (${chain.checked} entries)` : 'BROKEN',
        'outbox events': outboxIds.length,
        'event ids on RabbitMQ (distinct / deliveries)': `${env.amqp.counts.size} / ${env.amqp.total}`,
        'event ids delivered more than once': repeats,
        'requests per instance (gateway)': [...env.gateway.counts.entries()].map(([k, v]) => `${k}:${v}`).join(' '),
        'duration': `${Math.round(env.ms / 1000)} s`,
      },
    };
  } finally {
    await db.close();
  }
}
