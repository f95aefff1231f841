/**
 * The unit tier's rule, enforced: a unit test does no I/O beyond reading the repository's files. Loaded as a
 * `setupFiles` entry of the `unit` vitest project only; it makes every way out of the process throw at once with
 * a message that says where the test belongs:
 *
 * - sockets: `net.Server#listen` (also HTTP servers) and `net.Socket#connect` (also `fetch`, database drivers);
 * - child processes: `child_process` spawn/fork/exec and their sync forms;
 * - writing files: the `fs` and `fs/promises` functions that create, write or remove files and folders.
 *
 * Reading files stays allowed (a test may read the real forms or a fixture next to it). A test that needs any of the
 * above is an integration test: name it `*.integration.test.ts`.
 */
import childProcess from 'node:child_process';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const MOVE = 'unit tests (*.test.ts) do no I/O; rename this test file to *.integration.test.ts (README "Tests", docs/adr/0007-code-conventions.md)';

function refuse(what: string): never {
  throw new Error(`${what} in a unit test: ${MOVE}.`);
}

/** Replaces `name` on `target` by a function that refuses; keeps the original reachable for nothing else. */
function block(target: object, names: readonly string[], what: (name: string) => string): void {
  for (const name of names) {
    if (typeof (target as Record<string, unknown>)[name] !== 'function') continue;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: () => refuse(what(name)),
    });
  }
}

block(net.Server.prototype, ['listen'], () => 'Listening on a socket');
block(net.Socket.prototype, ['connect'], () => 'Opening a network connection');
block(childProcess, ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'], (name) => `child_process.${name}`);

const FS_WRITES = [
  'writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp', 'truncate', 'symlink', 'link',
];
block(fsPromises, FS_WRITES, (name) => `fs/promises.${name}`);
block(fs, [...FS_WRITES, ...FS_WRITES.map((name) => `${name}Sync`), 'createWriteStream'], (name) => `fs.${name}`);
// Named imports (`import { writeFileSync } from 'node:fs'`) see the replacements too.
syncBuiltinESMExports();
