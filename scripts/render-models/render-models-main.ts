// `npm run render:models [-- <file.bpmn|file.form> …]`: draws every diagram in bpmn/ and every form in forms/
// (or only the files named) with bpmn-js and form-js in headless Chromium, and writes one PNG per model to
// docs/images/models/, so docs/processes.md pictures the models as they are. Progress goes to stderr per file.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChromiumMissingError, createModelRenderer, DEFAULT_CHROMIUM } from './model-renderer.js';
import { modelFiles, NotAModelError, shown } from './model-files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(argv: string[]): Promise<number> {
  // npm runs scripts from the project folder; named files are relative to where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const named = argv.filter((arg) => arg !== '--').map((file) => resolve(cwd, file));
  const missing = named.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    process.stderr.write(`render:models: no such file: ${missing.map((file) => shown(root, file)).join(', ')} (give paths such as bpmn/3-environment-setup-review.bpmn)\n`);
    return 2;
  }
  let files;
  try {
    files = modelFiles(root, named);
  } catch (error) {
    if (!(error instanceof NotAModelError)) throw error;
    process.stderr.write(`render:models: ${error.message}\n`);
    return 2;
  }
  const renderer = await createModelRenderer(process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM);
  let failed = 0;
  try {
    for (const [index, file] of files.entries()) {
      const label = `[${index + 1}/${files.length}] ${shown(root, file.path)}`;
      try {
        const result = file.kind === 'bpmn' ? await renderer.renderBpmn(file.path) : file.kind === 'dmn' ? await renderer.renderDmn(file.path) : await renderer.renderForm(file.path);
        await mkdir(dirname(file.output), { recursive: true });
        await writeFile(file.output, result.png);
        process.stderr.write(`${label} -> ${shown(root, file.output)} (${result.width}x${result.height})\n`);
        for (const warning of result.warnings) process.stderr.write(`    warning: ${warning}\n`);
        for (const problem of result.problems) process.stderr.write(`    reads badly: ${problem}\n`);
      } catch (error) {
        failed += 1;
        process.stderr.write(`${label} FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    await renderer.close();
  }
  if (failed > 0) {
    process.stderr.write(`render:models: ${failed} of ${files.length} models could not be rendered (see above); fix them and run again\n`);
    return 1;
  }
  process.stderr.write(`render:models: ${files.length} PNGs written\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`render:models: ${error instanceof ChromiumMissingError ? error.message : String(error instanceof Error ? error.stack : error)}\n`);
    process.exitCode = 1;
  },
);
