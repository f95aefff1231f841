/**
 * `npm run deploy`: lints every diagram in `bpmn/` with bpmnlint and `bpmn/.bpmnlintrc` (the same rules as
 * `npm run lint`), refuses to deploy if any has an error, then deploys `bpmn/` (diagrams and DMN decision tables) and
 * `forms/` unchanged through the
 * official client to the configured engine: ZEEBE_REST_ADDRESS (Camunda 8, with the SDK's CAMUNDA_* / ZEEBE_*
 * settings from the environment), else the embedded engine at http://127.0.0.1:${ENGINE_PORT:-8080} with its
 * credential: CAMUNDA_BASIC_AUTH_USERNAME / _PASSWORD when set, else the credential file in its data folder.
 * Prints each process id, decision id and form with its version. Identical files keep their versions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import { BpmnModdle } from 'bpmn-moddle';
import { credentialFilePath, readCredentialFile } from '../engine/auth/credential-file.js';
import { readEngineConfig } from '../engine/config.js';
import { ConfigError, loadConfig } from '../rest-api/config.js';
import { deployModels, REPO_ROOT, type DeployClient, type DeployedModels } from './deploy-models.js';

/** One bpmnlint report (or a moddle import problem) naming the file, the element and the rule. */
export interface LintFinding {
  file: string;
  elementId: string;
  rule: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'off' | 'rule-error';
}

interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, unknown>;
  moddleExtensions?: Record<string, string>;
}
interface BpmnLinter {
  lint(definitions: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: LintFinding['category'] }>>>;
}

export const describeFinding = (f: LintFinding): string => `${f.file} ${f.elementId || '(document)'} [${f.rule}] ${f.message}`;
export const isLintError = (f: LintFinding): boolean => f.category === 'error' || f.category === 'rule-error';

/** Diagrams failed the lint: nothing was deployed. */
export class DiagramLintError extends Error {
  constructor(readonly findings: readonly LintFinding[]) {
    const errors = findings.filter(isLintError);
    super(
      `Refusing to deploy: bpmnlint found ${errors.length} error(s) in bpmn/ (rules: bpmn/.bpmnlintrc). Nothing was deployed.\n` +
        errors.map((f) => `  ${describeFinding(f)}`).join('\n') +
        '\nFix the diagrams (Camunda Modeler shows the same problems) and run `npm run deploy` again.',
    );
    this.name = 'DiagramLintError';
  }
}

/** No process engine answered at the address. */
export class EngineUnreachableError extends Error {
  constructor(readonly engineUrl: string, embedded: boolean, cause: unknown) {
    const why = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    super(
      embedded
        ? `No process engine answers at ${engineUrl} (${why}).\n` +
            '  Start the platform in another terminal with `npm start` (or only the engine with `npm run engine`) and run the command again;\n' +
            '  if it listens on another port, set ENGINE_PORT; to deploy to Camunda 8, set ZEEBE_REST_ADDRESS (and CAMUNDA_* as the SDK documents, see docs/deploy.md).'
        : `No process engine answers at ZEEBE_REST_ADDRESS=${engineUrl} (${why}).\n` +
            '  Check the address (the cluster REST endpoint, e.g. http://camunda:8080 or https://<region>.zeebe.camunda.io/<cluster-id>) and that the cluster is up.',
      { cause },
    );
    this.name = 'EngineUnreachableError';
  }
}

/**
 * Lints every `bpmn/*.bpmn` under `root` with `<root>/bpmn/.bpmnlintrc` (the repository's when the copy has none).
 * bpmnlint, its plugins and the moddle extensions resolve from the repository's node_modules, as the CLI does.
 */
export async function lintDiagrams(root: string = REPO_ROOT): Promise<LintFinding[]> {
  const bpmnDir = join(root, 'bpmn');
  const rcPath = existsSync(join(bpmnDir, '.bpmnlintrc')) ? join(bpmnDir, '.bpmnlintrc') : join(REPO_ROOT, 'bpmn', '.bpmnlintrc');
  const requireFromRoot = createRequire(join(REPO_ROOT, 'package.json'));
  let Linter: new (options: { config: LintConfig; resolver: unknown }) => BpmnLinter;
  let NodeResolver: new (options?: { require?: NodeJS.Require }) => unknown;
  try {
    ({ Linter } = requireFromRoot('bpmnlint') as { Linter: typeof Linter });
    NodeResolver = requireFromRoot('bpmnlint/lib/resolver/node-resolver') as typeof NodeResolver;
  } catch (error) {
    throw new Error('bpmnlint is not installed (it is a development dependency): run `npm ci` (not `npm ci --omit=dev`) before `npm run deploy`.', { cause: error });
  }
  const { moddleExtensions = {}, ...linterConfig } = JSON.parse(readFileSync(rcPath, 'utf8')) as LintConfig;
  const extensions = Object.fromEntries(Object.entries(moddleExtensions).map(([prefix, path]) => [prefix, requireFromRoot(path) as unknown]));
  const linter = new Linter({ config: linterConfig, resolver: new NodeResolver({ require: requireFromRoot }) });

  const findings: LintFinding[] = [];
  for (const file of readdirSync(bpmnDir).filter((name) => name.endsWith('.bpmn')).sort()) {
    const { rootElement, warnings } = await new BpmnModdle(extensions).fromXML(readFileSync(join(bpmnDir, file), 'utf8'), 'bpmn:Definitions');
    for (const warning of warnings) {
      findings.push({ file, elementId: warning.element?.id ?? '', rule: 'import', message: warning.message.split('\n')[0] ?? warning.message, category: 'error' });
    }
    for (const [rule, reports] of Object.entries(await linter.lint(rootElement))) {
      for (const report of reports) findings.push({ file, elementId: report.id ?? '', rule, message: report.message, category: report.category });
    }
  }
  return findings;
}

/** Where `npm run deploy` deploys to: ZEEBE_REST_ADDRESS, else the embedded engine on ENGINE_PORT (default 8080). */
export function engineTarget(env: NodeJS.ProcessEnv, zeebeRestAddress: string | undefined): { engineUrl: string; embedded: boolean } {
  if (zeebeRestAddress) return { engineUrl: zeebeRestAddress.replace(/\/+$/, ''), embedded: false };
  return { engineUrl: `http://127.0.0.1:${env.ENGINE_PORT || '8080'}`, embedded: true };
}

/**
 * The embedded engine's credential as SDK settings: the CAMUNDA_BASIC_AUTH_* variables when set (the engine takes
 * exactly those), else the file `npm start` / `npm run engine` keep in ENGINE_DATA_DIR.
 */
export async function embeddedEngineCredentialSettings(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const config = readEngineConfig({ ...env, PORT: undefined });
  const credentials = config.credentials ?? (await readCredentialFile(credentialFilePath(config.dataDir)));
  if (!credentials) {
    throw new ConfigError([
      `The embedded engine's credential file ${credentialFilePath(config.dataDir)} does not exist. Start the engine first (\`npm start\` or \`npm run engine\` creates it), ` +
        'set ENGINE_DATA_DIR to its data folder, or set CAMUNDA_AUTH_STRATEGY=BASIC with CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD.',
    ]);
  }
  return { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: credentials.username, CAMUNDA_BASIC_AUTH_PASSWORD: credentials.password };
}

/** Any HTTP answer (even 401 from a secured cluster) means something listens; a network error means nothing does. */
export async function assertAnswers(engineUrl: string, embedded: boolean): Promise<void> {
  try {
    const response = await fetch(`${engineUrl}/v2/topology`, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
  } catch (error) {
    throw new EngineUnreachableError(engineUrl, embedded, error);
  }
}

/**
 * The official client (the SDK's Orchestration Cluster API client, loose keys) for `engineUrl`: the SDK's CAMUNDA_* /
 * ZEEBE_* settings from `env`, no auth when none is configured. `npm run migrate` uses it too.
 */
export function officialEngineClient(engineUrl: string, env: NodeJS.ProcessEnv): unknown {
  const sdkSettings = Object.fromEntries(Object.entries(env).filter(([key, value]) => /^(CAMUNDA|ZEEBE)_/.test(key) && value !== undefined && value !== ''));
  const camunda = new Camunda8({
    ...sdkSettings,
    ZEEBE_REST_ADDRESS: engineUrl,
    CAMUNDA_AUTH_STRATEGY: sdkSettings.CAMUNDA_AUTH_STRATEGY ?? 'NONE',
    CAMUNDA_LOG_LEVEL: sdkSettings.CAMUNDA_LOG_LEVEL ?? 'none',
  } as never);
  return camunda.getOrchestrationClusterApiClientLoose({}, { cached: false });
}

const officialClient = (engineUrl: string, env: NodeJS.ProcessEnv): DeployClient => officialEngineClient(engineUrl, env) as DeployClient;

export interface RunDeployOptions {
  /** The engine's base URL (without `/v2`). */
  engineUrl: string;
  /** Whether the address is the embedded engine's default (only changes the advice when nothing answers). */
  embedded?: boolean;
  /** The folder holding `bpmn/` and `forms/`; default the repository. */
  root?: string;
  /** Where the SDK's settings come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** One line of output at a time; default stdout. */
  out?: (line: string) => void;
  /** A client to deploy with (tests); default the official client for `engineUrl`. */
  client?: DeployClient;
}

export interface DeployOutcome {
  deployed: DeployedModels;
  warnings: LintFinding[];
}

/** Lint, then deploy, then print the versions. Throws DiagramLintError (nothing deployed) or EngineUnreachableError. */
export async function runDeploy(options: RunDeployOptions): Promise<DeployOutcome> {
  const root = options.root ?? REPO_ROOT;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const findings = await lintDiagrams(root);
  if (findings.some(isLintError)) throw new DiagramLintError(findings);
  const warnings = findings.filter((f) => f.category === 'warn');
  out(`bpmnlint: the diagrams in ${join(root, 'bpmn')} pass (bpmn/.bpmnlintrc, ${warnings.length} warning(s))`);
  for (const warning of warnings) out(`  warning ${describeFinding(warning)}`);

  const client = options.client ?? (await assertAnswers(options.engineUrl, options.embedded ?? false), officialClient(options.engineUrl, options.env ?? process.env));
  const deployed = await deployModels(client, root);
  out(`Deployed to ${options.engineUrl} (${options.embedded ? 'embedded engine' : 'Camunda 8'}):`);
  const width = Math.max(0, ...deployed.processes.map((p) => p.processDefinitionId.length), ...deployed.decisions.map((d) => d.decisionDefinitionId.length), ...deployed.forms.map((f) => f.formId.length));
  for (const p of deployed.processes) out(`  process  ${p.processDefinitionId.padEnd(width)}  version ${p.processDefinitionVersion}`);
  for (const d of deployed.decisions) out(`  decision ${d.decisionDefinitionId.padEnd(width)}  version ${d.version}`);
  for (const f of deployed.forms) out(`  form     ${f.formId.padEnd(width)}  version ${f.version}`);
  return { deployed, warnings };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { engineUrl, embedded } = engineTarget(process.env, config.zeebeRestAddress);
  const env = embedded ? { ...process.env, ...(await embeddedEngineCredentialSettings(process.env)) } : process.env;
  await runDeploy({ engineUrl, embedded, env });
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((err: unknown) => {
    const known = err instanceof ConfigError || err instanceof DiagramLintError || err instanceof EngineUnreachableError;
    // The official client's error for a refused credential carries the engine's 401 problem.
    const refused = (err as { status?: unknown }).status === 401;
    const message = known
      ? (err as Error).message
      : refused
        ? `The engine refused the credential (401): ${String((err as { detail?: unknown }).detail ?? '')}\n` +
          '  Embedded engine: run `npm run deploy` from the folder `npm start` runs in (it reads ENGINE_DATA_DIR/credentials.env), or set CAMUNDA_BASIC_AUTH_USERNAME / _PASSWORD to its credential.\n' +
          '  Camunda 8: check CAMUNDA_AUTH_STRATEGY and its CAMUNDA_* settings (docs/deploy.md).'
        : `Deploy failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
