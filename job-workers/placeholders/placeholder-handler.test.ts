import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../shared/index.js';
import { makeWorkerJob, recordingLogger } from '../testing/make-worker-job.js';
import { createPlaceholderHandler } from './placeholder-handler.js';

describe('placeholder handler', () => {
  it('warns that it is a placeholder and completes with nothing', async () => {
    const { logger, lines } = recordingLogger();
    const result = await createPlaceholderHandler()(makeWorkerJob({ type: TASK_TYPES.workspaceProvision, headers: { phase: 'setup' } }), logger);
    expect(result).toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'workspace.provision handled by the placeholder until the workspace/notification workers land (issues 5 and 6)',
      }),
    ]);
  });
});
