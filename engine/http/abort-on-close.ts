import type { Response } from 'express';

/**
 * An AbortSignal that aborts when the client goes away before the response is written (long polling,
 * awaitCompletion). The engine resolves early when it fires, so no job is handed to a gone worker.
 */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
