// `npm test`: the lint, the type check and `vitest run` at the same time rather than one after the other.
// The lint and the type check run as one single-threaded process (test/support/lint-and-typecheck.mjs: one
// TypeScript program per tsconfig for both, about 57 s of CPU where `npm run lint` and `npm run typecheck` took
// about 90 s one after the other); the tests wait part of the time (timers, child processes). Side by side, each
// fills the other's idle time.
//
// vitest's output streams as it comes; the lint's and the type check's are printed whole when they end (never
// interleaved line by line). The exit status is non-zero when any of them failed, and the last lines name which.
// Arguments go to vitest (`npm test -- <file filter>`), as they did when the script ended in `vitest run`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vitestPackage = require.resolve('vitest/package.json');
const vitest = join(dirname(vitestPackage), require(vitestPackage).bin.vitest);

/** Runs the checks (a Node script) with their output kept until they end; resolves with a name, exit status and seconds. */
function check(name, script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ name, status: 1, seconds: 0, output: `could not start ${script}: ${error.message}\n` }));
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      const seconds = (Date.now() - started) / 1000;
      const text = Buffer.concat(output).toString();
      process.stdout.write(`\n> ${name}: ${status === 0 ? 'passed' : `FAILED (exit ${code ?? signal})`} in ${seconds.toFixed(0)} s\n`);
      if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      resolve({ name, status, seconds });
    });
  });
}

/** vitest with this terminal's output. */
function tests(args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...args], { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`could not start vitest: ${error.message}`);
      resolve({ name: 'vitest run', status: 1, seconds: 0 });
    });
    child.on('close', (code, signal) => resolve({ name: 'vitest run', status: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 }));
  });
}

const checks = join(dirname(fileURLToPath(import.meta.url)), 'lint-and-typecheck.mjs');
const results = await Promise.all([check('lint and type check', checks), tests(process.argv.slice(2))]);
console.log(`\nnpm test: ${results.map((r) => `${r.name} ${r.status === 0 ? 'passed' : 'FAILED'} (${r.seconds.toFixed(0)} s)`).join(', ')}`);
const failed = results.filter((result) => result.status !== 0).map((result) => result.name);
if (failed.length > 0) {
  console.error(`npm test failed: ${failed.join(' and ')} (output above). Fix what it names and run it alone to check (npm run lint, npm run typecheck, npx vitest run <file>), then npm test again.`);
  process.exit(1);
}
