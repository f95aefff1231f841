/**
 * One job at a time per permit within this worker process, so two jobs of the same permit (a suspension during
 * an analysis step) never read and write its workspace state over each other. Jobs of different permits run in
 * parallel. (Several worker processes would need a database lock instead; see docs/workspaces.md.)
 */
export interface KeyedMutex {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
