/**
 * The repository's root folder (the one with package.json), from any module in it: the same answer whether the
 * module runs as TypeScript from its folder or compiled in dist/server (`npm start` runs the build). Files the
 * platform reads at run time (bpmn/, forms/, the notification templates, the built web app in dist/web) are
 * found from here, so they are never copied into the build.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `moduleUrl`'s that holds package.json. */
export function repoRootOf(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(moduleUrl)}: run the platform from its repository.`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = repoRootOf(import.meta.url);
