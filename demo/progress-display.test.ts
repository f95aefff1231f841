import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEMO_STEPS } from './demo-steps.js';
import { createProgressDisplay } from './progress-display.js';

function capture(live: boolean) {
  const out = Object.assign(new PassThrough(), { columns: 60 });
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { display: createProgressDisplay({ out, live }), text: () => text };
}

const permit = { id: 'p-1', title: 'Cohort study', status: 'DRAFT' as const, version: 1, allowedActions: [] };

describe('createProgressDisplay', () => {
  it('prints plain lines without a terminal: the step, then its time and what changed', () => {
    const { display, text } = capture(false);
    display.permitReady(permit, 'created');
    display.stepStarted(0, 17, DEMO_STEPS[0]!);
    display.stepWaiting(0, 'waiting for the application under assessment');
    display.stepFinished(0, 17, DEMO_STEPS[0]!, { resumed: false, ms: 1234, details: ['status DRAFT → SUBMITTED by alice'] });
    display.stepStarted(1, 17, DEMO_STEPS[1]!);
    display.stepFinished(1, 17, DEMO_STEPS[1]!, { resumed: true, ms: 3, details: [] });
    display.platformOutage(true, 'ECONNREFUSED');
    display.platformOutage(false);
    display.stop();
    expect(text().split('\n')).toEqual([
      'Alice filed permit p-1 "Cohort study" (DRAFT)',
      '→ [ 1/17] Alice (researcher) submits the application',
      '✔ [ 1/17] Alice (researcher) submits the application (1.2 s)',
      '      status DRAFT → SUBMITTED by alice',
      '→ [ 2/17] Rita (HDAB reviewer) approves the application and issues the permit',
      '✔ [ 2/17] Rita (HDAB reviewer) approves the application and issues the permit (already done)',
      '! the platform stopped answering (ECONNREFUSED); waiting for it to come back',
      '! the platform is back; carrying on',
      '',
    ]);
  });

  it('on a terminal keeps the running step on one redrawn line, cut to the width, and clears it when done', () => {
    const { display, text } = capture(true);
    const setup = DEMO_STEPS.find((step) => step.id === 'submit-setup')!;
    display.stepStarted(5, 17, setup);
    display.stepWaiting(5, 'waiting for workspace setup review pending');
    display.stepFinished(5, 17, setup, { resumed: false, ms: 2000, details: [] });
    display.stop();
    const written = text();
    expect(written).toContain('\r\x1b[2K⠋ [ 6/17] Alice installs her tools and submits the workspa…');
    expect(written).toContain('\r\x1b[2K✔ [ 6/17] Alice installs her tools and submits the workspace for review (2.0 s)\n');
    // Every redraw fits the 60 columns (59 characters and the ellipsis).
    for (const line of written.split('\r\x1b[2K').filter((l) => l.startsWith('⠋') || l.startsWith('⠙'))) expect(line.length).toBeLessThanOrEqual(59);
  });
});
