/** The engine's PGlite folder lock (`shared/data-dir-lock.ts`): one engine per data folder. */
import { lockDataDir as lockFolder, type DataDirLockOptions } from '../../shared/data-dir-lock.js';

export const ENGINE_LOCK: DataDirLockOptions = {
  // The same name for every PGlite folder (shared/open-knex.ts), so any two openers of one folder exclude each other.
  lockFile: 'database.lock',
  label: 'The engine data folder',
  whatToDo: 'Stop that engine first, or point ENGINE_DATA_DIR at another folder.',
};

export function lockDataDir(dir: string): () => void {
  return lockFolder(dir, ENGINE_LOCK);
}
