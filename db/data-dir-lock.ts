/** The Permit Manager's PGlite folder lock (`shared/data-dir-lock.ts`): one opener per folder, this process included. */
import { lockDataDir as lockFolder, type DataDirLockOptions } from '../shared/data-dir-lock.js';

// The same name for every PGlite folder (shared/open-knex.ts), so any two openers of one folder exclude each other.
export const LOCK_FILE = 'database.lock';

export const PERMIT_DB_LOCK: DataDirLockOptions = {
  lockFile: LOCK_FILE,
  label: 'The Permit Manager data folder',
  whatToDo: 'Stop that process first, or use another data folder.',
  oncePerProcess: true,
};

export function lockPermitDataDir(dir: string): () => void {
  return lockFolder(dir, PERMIT_DB_LOCK);
}
