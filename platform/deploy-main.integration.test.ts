/**
 * `npm run deploy` against an embedded engine: the diagrams are linted, deployed through the official client and
 * their versions printed; deploying the same files again keeps the versions; a diagram that fails the lint is
 * refused before anything reaches the engine; nothing listening gives advice instead of a stack trace.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { PROCESS_IDS } from '../shared/index.js';
import { engineTestStores } from '../test/conformance/support/engine-test-store.js';
import { DiagramLintError, EngineUnreachableError, runDeploy } from './deploy-main.js';
import { REPO_ROOT, type DeployClient } from './deploy-models.js';

describe('npm run deploy (runDeploy)', () => {
  let engine: RunningEngine;
  let copy: string;
  // What is tested is the deploy, not the engine's store: on PostgreSQL when DATABASE_URL is set (cheaper to start).
  const stores = engineTestStores();

  beforeAll(async () => {
    engine = await startEngine({ port: 0, logger: pino({ level: 'silent' }), ...stores.next() });
    copy = await mkdtemp(join(tmpdir(), 'spe-deploy-'));
    await cp(join(REPO_ROOT, 'bpmn'), join(copy, 'bpmn'), { recursive: true });
    await cp(join(REPO_ROOT, 'forms'), join(copy, 'forms'), { recursive: true });
  });
  afterAll(async () => {
    await engine?.stop();
    await stores.dispose();
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('lints, deploys bpmn/ and forms/ and prints every process with its version and every form; a second deploy keeps the versions', async () => {
    const lines: string[] = [];
    const first = await runDeploy({ engineUrl: engine.url, embedded: true, env: { ...engine.clientSettings }, out: (line) => lines.push(line) });

    expect(first.deployed.processes.map((p) => p.processDefinitionId)).toEqual(expect.arrayContaining(Object.values(PROCESS_IDS)));
    expect(first.deployed.forms.length).toBeGreaterThan(0);
    // The HDAB's output release policy (bpmn/output-release-policy.dmn) goes with the diagrams (issue 19).
    expect(first.deployed.decisions).toEqual([{ decisionDefinitionId: 'spe-output-release-policy', version: 1 }]);
    expect(lines[0]).toMatch(/^bpmnlint: the diagrams in .* pass/);
    expect(lines).toContain(`Deployed to ${engine.url} (embedded engine):`);
    for (const p of first.deployed.processes) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  process  ${p.processDefinitionId} +version ${p.processDefinitionVersion}$`)));
    }
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}decision spe-output-release-policy +version 1$/));
    for (const f of first.deployed.forms) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  form     ${f.formId} +version ${f.version}$`)));
    }

    const second = await runDeploy({ engineUrl: engine.url, embedded: true, env: { ...engine.clientSettings }, out: () => undefined });
    expect(second.deployed).toEqual(first.deployed);
  });

  it('refuses a diagram that fails the lint, naming file, element and rule, and deploys nothing', async () => {
    const file = join(copy, 'bpmn', '1-permit-application.bpmn');
    const xml = await readFile(file, 'utf8');
    // Strip every job type: each service task then fails camunda-compat/implementation.
    const broken = xml.replace(/<zeebe:taskDefinition\b[^>]*\/>/g, '');
    expect(broken).not.toEqual(xml);
    await writeFile(file, broken);

    const calls: unknown[] = [];
    const spy: DeployClient = { createDeployment: async (request) => { calls.push(request); return {}; } };
    const refused = await runDeploy({ engineUrl: engine.url, root: copy, client: spy, out: () => undefined }).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(DiagramLintError);
    expect((refused as Error).message).toMatch(/^Refusing to deploy/);
    expect((refused as Error).message).toMatch(/1-permit-application\.bpmn \S+ \[camunda-compat\/implementation\] /);
    expect((refused as DiagramLintError).findings.every((f) => f.file === '1-permit-application.bpmn')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('says what to do when no engine answers', async () => {
    const stopped = await startEngine({ port: 0, logger: pino({ level: 'silent' }), ...stores.next() });
    const url = stopped.url;
    await stopped.stop();
    const error = await runDeploy({ engineUrl: url, embedded: true, env: {}, out: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect((error as Error).message).toContain(`No process engine answers at ${url}`);
    expect((error as Error).message).toContain('npm start');
  });
});
