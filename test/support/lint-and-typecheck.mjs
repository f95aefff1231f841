// `npm test`'s first step: `npm run lint` and `npm run typecheck` at the same time rather than one after the other.
// Each is one single-threaded process most of the time (ESLint with type information about 70 s of CPU, tsc about
// 25 s on the CI machine), so on two cores the pair takes about as long as the lint alone. Each one's output is
// printed whole when it ends (never interleaved); the exit status is non-zero when either failed, naming it.
import { spawn } from 'node:child_process';

const steps = ['lint', 'typecheck'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ script, status: 1, output: Buffer.from(`could not start npm run ${script}: ${error.message}\n`), seconds: 0 }));
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      const seconds = (Date.now() - started) / 1000;
      const text = Buffer.concat(output);
      process.stdout.write(`> npm run ${script}: ${status === 0 ? 'passed' : `FAILED (exit ${code ?? signal})`} in ${seconds.toFixed(0)} s\n`);
      if (text.length > 0) process.stdout.write(text.toString().endsWith('\n') ? text : Buffer.concat([text, Buffer.from('\n')]));
      resolve({ script, status, seconds });
    });
  });
}

const results = await Promise.all(steps.map(run));
const failed = results.filter((result) => result.status !== 0).map((result) => result.script);
if (failed.length > 0) {
  console.error(`npm test stopped before the tests: ${failed.map((script) => `npm run ${script}`).join(' and ')} failed (output above). Fix what it names and run it alone to check, then npm test again.`);
  process.exit(1);
}
