// `npm run lint` and `npm run typecheck` in one process sharing one TypeScript program per tsconfig (npm test's
// checks, test/support/npm-test.mjs). Run apart, ESLint's type-aware rules and tsc each build the same program and
// ask the same type checker the same questions: about 56 s of CPU for the lint and 30 s for the type check. Here
// the type check runs first on the programs tsc would build (same tsconfig, same options, same diagnostics), and
// ESLint's typed rules are handed those programs (parserOptions.programs instead of the project service), so the
// types they ask for are already computed. The bpmnlint half of `npm run lint` (lint:bpmn) runs beside it.
//
// Output: each part's findings whole, as `tsc`/`eslint` print them, then one line per part; exit status 1 when
// any part failed. Run the scripts on their own to check one part (npm run lint, npm run typecheck).
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The projects `npm run typecheck` checks (tsc --noEmit, tsc --noEmit -p web). */
const TSCONFIGS = ['tsconfig.json', join('web', 'tsconfig.json')];

/** The program `tsc -p <tsconfig>` builds: the same parsed options, with parent pointers for ESLint. */
function createProgram(tsconfig) {
  const configErrors = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, tsconfig), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic),
  });
  if (!parsed) return { program: undefined, diagnostics: configErrors };
  const host = ts.createCompilerHost(parsed.options, true);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, configFileParsingDiagnostics: parsed.errors });
  return { program, diagnostics: [...configErrors, ...ts.getPreEmitDiagnostics(program)] };
}

const formatHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };

/** The type check: tsc's diagnostics for every project, worded as tsc words them. */
function typecheck() {
  const started = Date.now();
  const programs = [];
  let text = '';
  let errors = 0;
  for (const tsconfig of TSCONFIGS) {
    const { program, diagnostics } = createProgram(tsconfig);
    if (program) programs.push(program);
    const found = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    errors += found;
    if (diagnostics.length > 0) text += `${tsconfig}:\n${ts.formatDiagnostics(diagnostics, formatHost)}`;
  }
  return { part: { name: 'type check (tsc)', status: errors === 0 ? 0 : 1, seconds: (Date.now() - started) / 1000, text }, programs };
}

/** ESLint on the whole tree (eslint.config.js), its typed rules answered from the type check's programs. */
async function lint(programs) {
  const started = Date.now();
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parserOptions: { projectService: false, programs } } }],
  });
  let results = await eslint.lintFiles(['.']);
  // A file made after the programs were built (an editor, a generator) is not in them: lint it as `eslint` would.
  const missed = results.filter((result) => result.messages.some((m) => m.fatal && /not found in any of the provided program/.test(m.message)));
  if (missed.length > 0) {
    const again = await new ESLint({ cwd: root }).lintFiles(missed.map((result) => result.filePath));
    results = [...results.filter((result) => !missed.includes(result)), ...again];
  }
  const formatter = await eslint.loadFormatter('stylish');
  const text = await formatter.format(results);
  const errors = results.reduce((sum, result) => sum + result.errorCount + result.fatalErrorCount, 0);
  return { name: 'lint (eslint)', status: errors === 0 ? 0 : 1, seconds: (Date.now() - started) / 1000, text };
}

/** `npm run lint:bpmn` (the diagrams and the bpmnlint plugin's known names), output kept until it ends. */
function lintBpmn() {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', 'lint:bpmn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ name: 'lint (bpmnlint)', status: 1, seconds: 0, text: `could not start npm run lint:bpmn: ${error.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ name: 'lint (bpmnlint)', status: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000, text: Buffer.concat(output).toString() }),
    );
  });
}

const bpmn = lintBpmn();
const checked = typecheck();
let linted;
try {
  linted = await lint(checked.programs);
} catch (error) {
  linted = { name: 'lint (eslint)', status: 1, seconds: 0, text: `${error instanceof Error ? error.stack : String(error)}\n` };
}
const parts = [checked.part, linted, await bpmn];
for (const part of parts) {
  process.stdout.write(`\n> ${part.name}: ${part.status === 0 ? 'passed' : 'FAILED'} in ${part.seconds.toFixed(0)} s\n`);
  if (part.text.trim().length > 0) process.stdout.write(part.text.endsWith('\n') ? part.text : `${part.text}\n`);
}
const failed = parts.filter((part) => part.status !== 0);
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.map((part) => part.name).join(', ')} (run it alone: npm run lint, npm run typecheck; files relative to ${relative(process.cwd(), root) || '.'})`);
  process.exit(1);
}
