/**
 * vitest's file order, with the few files known to run longest started first. vitest starts the files it has no
 * timings for (every file on a fresh clone, as in CI) largest first, which can leave a long browser or demo run for
 * the end, where it runs alone while the other workers are idle. These start first, in this order; every other
 * file keeps vitest's order (its timings when it has them). Measured under load: the browser lifecycle took 207 s,
 * the demo restart 108 s, the demo lifecycle 83 s, the Kubernetes workspace test 33 s, against 15 s for a median
 * integration file.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOW_FIRST: readonly string[] = ['test/browser/', 'test/demo/', 'test/kubernetes/'];

/** The position of a file's folder in SLOW_FIRST, or SLOW_FIRST.length for every other file. */
export function slowRank(relativePath: string): number {
  const path = relativePath.replaceAll('\\', '/');
  const rank = SLOW_FIRST.findIndex((prefix) => path.startsWith(prefix));
  return rank === -1 ? SLOW_FIRST.length : rank;
}

export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root.replaceAll('\\', '/').replace(/\/?$/, '/');
    const rank = (file: TestSpecification): number => slowRank(file.moduleId.replaceAll('\\', '/').replace(root, ''));
    const position = new Map(sorted.map((file, index) => [file, index]));
    // Array#sort is stable; groups and projects stay in vitest's order, only the rank moves files within them.
    return [...sorted].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (a.project.name === b.project.name ? 0 : position.get(a)! - position.get(b)!) ||
        rank(a) - rank(b) ||
        position.get(a)! - position.get(b)!,
    );
  }
}
