// Renders one real diagram and one real form in headless Debian Chromium and checks the PNGs are real pictures
// of a plausible size (what `npm run render:models` writes to docs/images/models/).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelRenderer, DEFAULT_CHROMIUM, type ModelRenderer } from './model-renderer.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chromium = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  // The IHDR chunk follows the signature: length (4), type (4), then width and height as 32-bit big-endian.
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!existsSync(chromium))(`render:models in headless Chromium (skipped: no browser at ${chromium}; apt-get install chromium)`, () => {
  let renderer: ModelRenderer;
  beforeAll(async () => {
    renderer = await createModelRenderer(chromium);
  });
  afterAll(async () => {
    await renderer?.close();
  });

  it('draws a diagram at 100 % as a wide PNG holding the whole process', async () => {
    const result = await renderer.renderBpmn(`${root}bpmn/3-environment-setup-review.bpmn`);
    expect(result.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const size = pngSize(result.png);
    expect(size).toEqual({ width: result.width, height: result.height });
    expect(size.width).toBeGreaterThan(1000);
    expect(size.height).toBeGreaterThan(200);
    // A blank picture compresses to almost nothing; a drawn diagram does not.
    expect(result.png.length).toBeGreaterThan(20_000);
    expect(result.warnings).toEqual([]);
  });

  // Diagrams 0-3 are kept free of what a reader stumbles over (words broken across lines, names under the task
  // icon, crossing flows, unlabelled gateway flows); add a diagram here once it reads cleanly too.
  it.each(['0-permit-lifecycle', '1-permit-application', '2-data-ingress-preparation', '3-environment-setup-review'])('draws %s with nothing that reads badly', async (name) => {
    const result = await renderer.renderBpmn(`${root}bpmn/${name}.bpmn`);
    expect(result.warnings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('finds what reads badly on a diagram that has it', async () => {
    const xml = readFileSync(`${root}bpmn/1-permit-application.bpmn`, 'utf8')
      .replace('name="Status: submitted"', 'name="Set the status of the permit to submitted"')
      .replace('name="Yes" sourceRef="Gateway_AssessmentDecision"', 'sourceRef="Gateway_AssessmentDecision"');
    const folder = mkdtempSync(join(tmpdir(), 'render-models-'));
    try {
      writeFileSync(join(folder, 'worse.bpmn'), xml);
      const problems = (await renderer.renderBpmn(join(folder, 'worse.bpmn'))).problems.join('\n');
      expect(problems).toMatch(/Activity_SetStatusSubmitted .*: the name runs under the task-type icon/);
      expect(problems).toMatch(/Flow_Approved: an outgoing flow of Gateway_AssessmentDecision .* without a label/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // form-js imports each of these forms without a warning: Tasklist's renderer accepts them as they are.
  it.each(['application-assessment', 'data-preparation-signoff', 'ingress-exception', 'provisioning-exception', 'setup-review'])('draws the %s form without import warnings', async (name) => {
    const result = await renderer.renderForm(`${root}forms/${name}.form`);
    expect(result.warnings).toEqual([]);
    expect(pngSize(result.png).height).toBeGreaterThan(300);
  });

  it("draws the HDAB's output release policy as a decision table, every rule annotated", async () => {
    const result = await renderer.renderDmn(`${root}bpmn/output-release-policy.dmn`);
    expect(result.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(result.png).width).toBe(1400);
    expect(pngSize(result.png).height).toBeGreaterThan(400);
    expect(result.warnings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('draws a form filled with sample data as a tall PNG', async () => {
    const result = await renderer.renderForm(`${root}forms/setup-review.form`);
    expect(result.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const size = pngSize(result.png);
    expect(size.width).toBeGreaterThan(500);
    expect(size.height).toBeGreaterThan(400);
    expect(result.png.length).toBeGreaterThan(10_000);
    expect(result.warnings).toEqual([]);
  });
});
