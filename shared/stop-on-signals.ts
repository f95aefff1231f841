/**
 * Entry files stop cleanly on SIGINT/SIGTERM: `stop()` once (a second signal while stopping is ignored), then exit
 * 0, or 1 when stopping failed.
 */
import type { Logger } from 'pino';

export function stopOnSignals(stop: () => Promise<void>, logger: Logger, what: string): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `stopping: ${what}`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
