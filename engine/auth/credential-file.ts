/**
 * The generated engine credential, kept in the engine's data folder as `credentials.env`: the client's own
 * variables (CAMUNDA_AUTH_STRATEGY, CAMUNDA_BASIC_AUTH_USERNAME, CAMUNDA_BASIC_AUTH_PASSWORD), so a shell can
 * load it with `set -a; . data/engine/credentials.env; set +a`. Created once with mode 0600 and reused; a file that
 * other users can read (or that belongs to another user) is refused rather than trusted, because anyone who can
 * read it can drive the engine.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialProblem, generateCredentials, type EngineCredentials } from './engine-credentials.js';

export const CREDENTIAL_FILE_NAME = 'credentials.env';

export function credentialFilePath(dataDir: string): string {
  return join(dataDir, CREDENTIAL_FILE_NAME);
}

export class CredentialFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialFileError';
  }
}

export interface LoadedCredentials {
  credentials: EngineCredentials;
  path: string;
  /** True when this start wrote the file. */
  created: boolean;
}

/** Reads the credential file in `dataDir`, or creates it (0600) with a random credential when there is none. */
export async function loadOrCreateCredentialFile(dataDir: string): Promise<LoadedCredentials> {
  const path = credentialFilePath(dataDir);
  const existing = await readCredentialFile(path);
  if (existing) return { credentials: existing, path, created: false };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const credentials = generateCredentials();
  try {
    // 'wx': never overwrite a file another start wrote a moment ago; mode 0600 before a byte is written.
    await writeFile(path, renderCredentialFile(credentials), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readCredentialFile(path);
      if (raced) return { credentials: raced, path, created: false };
    }
    throw error;
  }
  return { credentials, path, created: true };
}

/** The credential in `path`, or undefined when there is no such file. Refuses a file others can read. */
export async function readCredentialFile(path: string): Promise<EngineCredentials | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (process.platform !== 'win32') {
    if ((info.mode & 0o077) !== 0) {
      throw new CredentialFileError(
        `The engine credential file ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}), so it is not used. ` +
          `Run \`chmod 600 ${path}\` if nobody else could have read it, or delete it to have a new credential created on the next start.`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      throw new CredentialFileError(`The engine credential file ${path} belongs to another user (uid ${info.uid}), so it is not used. Delete it to have a new credential created on the next start.`);
    }
  }
  return parseCredentialFile(await readFile(path, 'utf8'), path);
}

export function renderCredentialFile(credentials: EngineCredentials): string {
  return [
    '# The embedded engine\'s credential (HTTP Basic). Keep it private (mode 0600).',
    '# Use it: set -a; . ./<this file>; set +a   (then ZEEBE_REST_ADDRESS=http://127.0.0.1:8080)',
    '# Rotate it: stop the engine, delete this file, start again.',
    'CAMUNDA_AUTH_STRATEGY=BASIC',
    `CAMUNDA_BASIC_AUTH_USERNAME=${credentials.username}`,
    `CAMUNDA_BASIC_AUTH_PASSWORD=${credentials.password}`,
    '',
  ].join('\n');
}

export function parseCredentialFile(text: string, path: string): EngineCredentials {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith('#')) values.set(match[1]!, match[2]!.replace(/^(['"])(.*)\1$/, '$2'));
  }
  const username = values.get('CAMUNDA_BASIC_AUTH_USERNAME');
  const password = values.get('CAMUNDA_BASIC_AUTH_PASSWORD');
  if (!username || !password) {
    throw new CredentialFileError(`The engine credential file ${path} has no CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD line. Delete it to have a new credential created on the next start.`);
  }
  const credentials = { username, password };
  const problem = credentialProblem(credentials);
  if (problem) throw new CredentialFileError(`The engine credential file ${path} is not usable: ${problem}. Delete it to have a new credential created on the next start.`);
  return credentials;
}
