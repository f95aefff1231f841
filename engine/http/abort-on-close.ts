import type { ServerResponse } from 'node:http';

/**
 * An AbortSignal that aborts when the client goes away before the response is written (long polling,
 * awaitCompletion). The engine resolves early when it fires, so no job is handed to a gone worker.
 */
export function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
