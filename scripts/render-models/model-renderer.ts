// Renders BPMN diagrams, DMN decision tables and form-js forms to PNG in headless Chromium (playwright-core, the Debian browser),
// through the page viewer-bundle.ts builds. One browser and one page serve every file of a run.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sampleDataFor, showEveryField, type FormSchema } from './form-sample-data.js';
import { buildViewerPage } from './viewer-bundle.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** The width a form is drawn at: about Tasklist's task panel. */
const FORM_WIDTH = 760;
/** The width a decision table is drawn at: about Modeler's decision table view. */
const DMN_WIDTH = 1400;

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium was not found at ${path}. Install the Debian browser (\`apt-get install chromium\`) or point ` +
        'CHROMIUM_PATH at a Chromium binary; playwright browsers are not downloaded.',
    );
    this.name = 'ChromiumMissingError';
  }
}

export interface RenderResult {
  png: Buffer;
  width: number;
  height: number;
  /** What the viewer reported while importing (unknown elements, bad references…). */
  warnings: string[];
  /**
   * What a reader of a diagram stumbles over, found on the drawn picture: a word broken across lines, a task name
   * under the task-type icon or longer than three lines, crossing flows, a deciding gateway without a question or
   * with an unlabelled outgoing flow, an unnamed event-based gateway. Empty for forms.
   */
  problems: string[];
}

interface PageApi {
  renderModels: {
    renderBpmn(xml: string): Promise<Omit<RenderResult, 'png'>>;
    renderForm(schema: unknown, data: unknown, width: number): Promise<Omit<RenderResult, 'png'>>;
    renderDmn(xml: string, width: number): Promise<Omit<RenderResult, 'png'>>;
  };
}

export interface ModelRenderer {
  renderBpmn(path: string): Promise<RenderResult>;
  renderForm(path: string): Promise<RenderResult>;
  renderDmn(path: string): Promise<RenderResult>;
  close(): Promise<void>;
}

/** Starts Chromium with the viewer page; throws ChromiumMissingError when the browser is not installed. */
export async function createModelRenderer(chromiumPath = DEFAULT_CHROMIUM): Promise<ModelRenderer> {
  if (!existsSync(chromiumPath)) throw new ChromiumMissingError(chromiumPath);
  const html = await buildViewerPage();
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    // No request may leave the page: everything it needs is inline.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });

    const shoot = async (width: number, height: number): Promise<Buffer> => {
      await page.setViewportSize({ width: Math.max(width, 200), height: Math.max(height, 100) });
      // Let the browser lay out and paint at the new size (fonts are inline, so this is quick).
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      return page.locator('#canvas').screenshot({ type: 'png', animations: 'disabled' });
    };

    return {
      async renderBpmn(path) {
        const xml = await readFile(path, 'utf8');
        const drawn = await page.evaluate((source) => (globalThis as unknown as PageApi).renderModels.renderBpmn(source), xml);
        return { png: await shoot(drawn.width, drawn.height), ...drawn };
      },
      async renderForm(path) {
        const schema = JSON.parse(await readFile(path, 'utf8')) as FormSchema;
        const data = sampleDataFor(schema);
        const drawn = await page.evaluate(
          ([shown, values, width]) => (globalThis as unknown as PageApi).renderModels.renderForm(shown, values, width),
          [showEveryField(schema), data, FORM_WIDTH] as const,
        );
        return { png: await shoot(drawn.width, drawn.height), ...drawn };
      },
      async renderDmn(path) {
        const xml = await readFile(path, 'utf8');
        const drawn = await page.evaluate(([source, width]) => (globalThis as unknown as PageApi).renderModels.renderDmn(source, width), [xml, DMN_WIDTH] as const);
        return { png: await shoot(drawn.width, drawn.height), ...drawn };
      },
      async close() {
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
