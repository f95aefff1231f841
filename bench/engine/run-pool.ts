/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; `onDone(count)` after each one. */
export async function runPool(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
  onDone?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        await task(i);
        onDone?.(++done);
      }
    }),
  );
}
