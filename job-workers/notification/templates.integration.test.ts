/**
 * The template files against the diagrams: every template id a `notification.send` task of `bpmn/` uses has a
 * catalog entry and a complete folder, and renders in strict mode with a realistic context of each process that
 * uses it — naming the permit, the workspace and the actor, quoting the comment where there is one, and linking.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_AUDIENCES, TASK_HEADERS, TASK_TYPES } from '../../shared/index.js';
import { BPMN_DIR } from '../../test/process/support/process-harness.js';
import { buildNotificationContext } from './notification-context.js';
import type { Recipient } from './notification-store.js';
import { isTemplateId, TEMPLATE_CATALOG, TEMPLATE_IDS } from './template-catalog.js';
import { createTemplateStore, DEFAULT_TEMPLATES_DIR, TEMPLATE_FILES, TemplateError } from './template-store.js';
import { TemplateVariableError } from './template-renderer.js';
import { createNotificationLinks } from './notification-links.js';
import { CLOSE_REASON_WORDS, CLOSE_REASONS, WORDING_TABLES } from './notification-wording.js';

/** Upper-case codes (close reasons, decisions, statuses, team roles) no message may show. */
const CODES = [...new Set(Object.values(WORDING_TABLES).flatMap((table) => [...table.codes]))].filter((code) => /^[A-Z_]+$/.test(code));

interface NotifyTask {
  file: string;
  processId: string;
  elementId: string;
  template: string;
  audience: string;
  critical?: string;
  inputs: Record<string, unknown>;
}

/** Every notification.send service task of bpmn/, with its headers and literal input mappings. */
async function notifyTasks(): Promise<NotifyTask[]> {
  const tasks: NotifyTask[] = [];
  for (const file of (await readdir(BPMN_DIR)).filter((f) => f.endsWith('.bpmn'))) {
    const xml = await readFile(join(BPMN_DIR, file), 'utf8');
    const processId = /<bpmn:process id="([^"]+)"/.exec(xml)?.[1] ?? file;
    for (const [, elementId, body] of xml.matchAll(/<bpmn:serviceTask id="([^"]+)"[^>]*>([\s\S]*?)<\/bpmn:serviceTask>/g)) {
      if (!body!.includes(`type="${TASK_TYPES.notificationSend}"`)) continue;
      const headers = Object.fromEntries([...body!.matchAll(/<zeebe:header key="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const inputs = Object.fromEntries([...body!.matchAll(/<zeebe:input source="=(\d+)" target="([^"]+)"/g)].map((m) => [m[2], Number(m[1])]));
      tasks.push({ file, processId, elementId: elementId!, template: headers[TASK_HEADERS.template], audience: headers[TASK_HEADERS.audience], critical: headers[TASK_HEADERS.critical], inputs });
    }
  }
  return tasks;
}

const PERMIT = { id: '5b0c2d8e-1f5a-4c4e-9d1e-7a1f2b3c4d5e', title: 'Diabetes outcomes & <risk> factors', status: 'ANALYSIS_ACTIVE', validUntil: new Date('2027-12-31T23:59:59Z') };
const PEOPLE = new Map<string, Recipient>([
  ['alice', { userId: 'alice', displayName: 'Alice Researcher' }],
  ['rita', { userId: 'rita', displayName: 'Rita Reviewer' }],
  ['dana', { userId: 'dana', displayName: 'Dana Holder' }],
]);
/** What the processes carry at the notification tasks (a superset; each template picks its own). */
const VARIABLES = {
  permitId: PERMIT.id,
  submittedBy: 'alice',
  applicantResponse: 'We added the ethics approval.',
  assessedBy: 'rita',
  assessmentComment: 'Please attach the ethics approval <PDF>.',
  initiatedBy: 'rita',
  dataHolder: 'dana',
  confirmedBy: 'dana',
  ingressCheckFindings: [{ path: 'cohort.csv', message: 'checksum mismatch' }, 'manifest lists a file that was not uploaded'],
  provisioningError: 'quota exceeded in namespace spe-5b0c2d8e',
  setupSubmittedBy: 'alice',
  setupSubmissionNote: 'R 4.4 and our packages are installed.',
  setupReviewedBy: 'rita',
  setupComment: 'Remove the crypto miner from /opt.',
  egressRequestId: 'E-42',
  egressSubmittedBy: 'alice',
  egressReviewedBy: 'rita',
  egressComment: 'Table 3 has a cell below 10.',
  suspensionReason: 'Suspected data breach',
  suspendedBy: 'rita',
  resumedBy: 'rita',
  resumeReason: 'Investigation closed',
  revocationReason: 'Breach confirmed',
  revokedBy: 'rita',
  amendmentReviewedBy: 'rita',
  amendmentComment: 'Extension granted for six months.',
  closeReason: 'EXPIRED',
  validUntil: '2027-12-31T23:59:59Z',
};
const PUBLIC_URL = 'https://spe.example.org';

let tasks: NotifyTask[];
beforeAll(async () => {
  tasks = await notifyTasks();
});

describe('templates', () => {
  it('the diagrams use only known templates and audiences, and every catalog template is used', () => {
    const used = new Set(tasks.map((t) => t.template));
    expect(tasks.length).toBeGreaterThan(25);
    for (const task of tasks) {
      expect(isTemplateId(task.template), `${task.file} ${task.elementId} uses template "${task.template}"`).toBe(true);
      expect(NOTIFICATION_AUDIENCES, `${task.file} ${task.elementId}`).toContain(task.audience);
    }
    expect([...used].sort()).toEqual([...TEMPLATE_IDS].sort());
  });

  it('has one complete folder per catalog template and nothing else', async () => {
    const folders = (await readdir(DEFAULT_TEMPLATES_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...TEMPLATE_IDS].sort());
    for (const id of TEMPLATE_IDS) {
      const files = await readdir(join(DEFAULT_TEMPLATES_DIR, id));
      expect(files.sort(), id).toEqual(Object.values(TEMPLATE_FILES).map((f) => f.file).sort());
    }
  });

  it('docs/notifications.md lists every template', async () => {
    const doc = await readFile(join(BPMN_DIR, '..', 'docs', 'notifications.md'), 'utf8');
    for (const id of TEMPLATE_IDS) expect(doc, id).toMatch(new RegExp(`^\\| \`${id}\` \\|`, 'm'));
  });

  it('critical is set exactly on suspension and revocation', () => {
    const critical = tasks.filter((t) => t.critical === 'true').map((t) => t.template).sort();
    expect(critical).toEqual(['permit-revoked', 'permit-suspended']);
  });

  it('every template renders strictly with a realistic context of each process that uses it', async () => {
    const store = createTemplateStore();
    for (const task of tasks) {
      const where = `${task.template} in ${task.file} (${task.elementId})`;
      const spec = TEMPLATE_CATALOG[task.template as keyof typeof TEMPLATE_CATALOG];
      const context = buildNotificationContext({ spec, permit: PERMIT, variables: { ...VARIABLES, ...task.inputs }, bpmnProcessId: task.processId, links: createNotificationLinks(PUBLIC_URL), people: PEOPLE });
      const message = (await store.load(task.template)).render(context, { strict: true });

      expect(message.subject, where).toContain(PERMIT.title);
      expect(message.subject, where).toContain(PERMIT.id);
      for (const body of [message.text, message.slack.text + JSON.stringify(message.slack.blocks)]) {
        expect(body, where).toContain(PERMIT.id);
        expect(body, where).toContain(context.link);
        expect(body, where).not.toMatch(/\{\{|undefined|null/);
      }
      expect(message.text, where).not.toContain('}}');
      expect(message.text, where).toContain(PERMIT.title);
      expect(message.text, where).toContain(String(context.workspace));
      expect(message.text, where).toContain(String(context.actor));
      expect(message.text, where).toContain('What to do next');
      const inText = [context.decision ? `Decision: ${context.decision}` : '', context.comment ? String(context.comment) : ''].filter(Boolean);
      for (const part of inText) expect(message.text, where).toContain(part);
      const inHtml = context.comment ? [escapeHtml(String(context.comment))] : [];
      for (const part of inHtml) expect(message.html, where).toContain(part);
      expect(message.html, where).toContain(`href="${context.link}"`);
      expect(message.html, where).toContain('Diabetes outcomes &amp; &lt;risk&gt; factors');
      expect(message.html, where).not.toContain('<risk>');
      expect(message.slack.blocks.length, where).toBeLessThanOrEqual(50);
      expect(JSON.stringify(message.slack.blocks), where).toContain('Diabetes outcomes &amp; &lt;risk&gt; factors');
      expect(message.inApp, where).toContain(PERMIT.id);
      expect(message.inApp.length, where).toBeLessThan(400);
      const everything = [message.subject, message.text, message.html, JSON.stringify(message.slack), message.inApp].join('\n');
      for (const code of CODES) expect(everything, `${where} shows the code ${code}`).not.toMatch(new RegExp(`\\b${code}\\b`));
    }
  });

  it('the data-deleted message says why the permit closed in words, for every close reason', async () => {
    const template = await createTemplateStore().load('data-deleted');
    for (const closeReason of CLOSE_REASONS) {
      const context = buildNotificationContext({ spec: TEMPLATE_CATALOG['data-deleted'], permit: PERMIT, variables: { ...VARIABLES, closeReason }, bpmnProcessId: 'spe-permit-closure', links: createNotificationLinks(PUBLIC_URL), people: PEOPLE });
      const message = template.render(context, { strict: true });
      expect(message.text).toContain(`Why the permit closed: ${CLOSE_REASON_WORDS[closeReason]}.`);
      expect(message.html).toContain(`<strong>Why the permit closed:</strong> ${CLOSE_REASON_WORDS[closeReason]}.`);
      expect(JSON.stringify(message.slack)).toContain(`Why the permit closed:* ${CLOSE_REASON_WORDS[closeReason]}.`);
      expect([message.text, message.html, JSON.stringify(message.slack)].join()).not.toContain(closeReason);
    }
  });

  it('every template also renders when the optional values are absent (no actor, comment or request id)', async () => {
    const store = createTemplateStore();
    for (const id of TEMPLATE_IDS) {
      const context = buildNotificationContext({ spec: TEMPLATE_CATALOG[id], permit: { id: 'P-1', title: 'T', status: 'DRAFT' }, variables: { permitId: 'P-1' }, bpmnProcessId: 'spe-permit-amendment', links: createNotificationLinks(PUBLIC_URL), people: new Map() });
      const message = (await store.load(id)).render(context, { strict: true });
      expect(message.text, id).not.toMatch(/\{\{|undefined|null/);
      expect(message.text, id).toContain(TEMPLATE_CATALOG[id].actorFallback);
    }
  });

  describe('a template with a variable the context lacks', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'spe-templates-'));
      await mkdir(join(dir, 'workspace-ready'));
      await mkdir(join(dir, 'setup-approved'));
      for (const { file } of Object.values(TEMPLATE_FILES)) {
        const original = await readFile(join(DEFAULT_TEMPLATES_DIR, 'workspace-ready', file), 'utf8');
        await writeFile(join(dir, 'workspace-ready', file), file === 'html.html' ? original.replace('{{permitTitle}}', '{{permitName}}') : original);
      }
      await writeFile(join(dir, 'setup-approved', 'subject.txt'), 'only a subject');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('fails loudly, naming the file and the variable', async () => {
      const template = await createTemplateStore(dir).load('workspace-ready');
      const context = buildNotificationContext({ spec: TEMPLATE_CATALOG['workspace-ready'], permit: PERMIT, variables: VARIABLES, bpmnProcessId: 'spe-environment-setup', links: createNotificationLinks(PUBLIC_URL), people: PEOPLE });
      expect(() => template.render(context, { strict: true })).toThrow(TemplateVariableError);
      expect(() => template.render(context, { strict: true })).toThrow('template workspace-ready/html.html uses {{permitName}}');
    });

    it('a folder missing a file is refused when loaded', async () => {
      await expect(createTemplateStore(dir).load('setup-approved')).rejects.toThrow(TemplateError);
      await expect(createTemplateStore(dir).load('setup-approved')).rejects.toThrow(/template "setup-approved" has no text.txt/);
      await expect(createTemplateStore(dir).load('../etc')).rejects.toThrow(/not a valid template name/);
    });
  });
});

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
