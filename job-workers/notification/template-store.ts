/**
 * Templates on disk: one folder per template id under `templates/` with `subject.txt`, `text.txt` (plain email),
 * `html.html` (HTML email), `slack.json` (Block Kit: `{ "text": …, "blocks": [...] }`) and `in-app.txt`. A folder is
 * read and compiled the first time it is used and kept. `render` turns a context into a `RenderedMessage`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../shared/repo-root.js';
import type { RenderedMessage } from './channels/notification-channel.js';
import { compileTemplate, type CompiledTemplate, type TemplateRenderOptions, type TemplateContext, type TemplateEscape } from './template-renderer.js';

// From the repository root, so the compiled build (dist/server) finds them too.
export const DEFAULT_TEMPLATES_DIR = join(REPO_ROOT, 'job-workers', 'notification', 'templates');

/** The files of a template folder and how values are escaped in each. */
export const TEMPLATE_FILES = {
  subject: { file: 'subject.txt', escape: 'text' },
  text: { file: 'text.txt', escape: 'text' },
  html: { file: 'html.html', escape: 'html' },
  slack: { file: 'slack.json', escape: 'slack-json' },
  inApp: { file: 'in-app.txt', escape: 'text' },
} as const satisfies Record<string, { file: string; escape: TemplateEscape }>;

type Part = keyof typeof TEMPLATE_FILES;

export interface MessageTemplate {
  readonly id: string;
  /** Every name any of the files uses. */
  readonly names: readonly string[];
  render(context: TemplateContext, options: TemplateRenderOptions): Omit<RenderedMessage, 'link'>;
}

/** A template that is missing, unreadable or malformed: a deployment problem, not worth retrying. */
export class TemplateError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

const TEMPLATE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface TemplateStore {
  load(id: string): Promise<MessageTemplate>;
}

export function createTemplateStore(templatesDir: string = DEFAULT_TEMPLATES_DIR): TemplateStore {
  const cache = new Map<string, Promise<MessageTemplate>>();
  return {
    load(id) {
      let template = cache.get(id);
      if (!template) {
        template = loadTemplate(templatesDir, id);
        cache.set(id, template);
        template.catch(() => cache.delete(id));
      }
      return template;
    },
  };
}

async function loadTemplate(templatesDir: string, id: string): Promise<MessageTemplate> {
  if (!TEMPLATE_ID.test(id)) throw new TemplateError(`template id "${id}" is not a valid template name (lower-case words joined by hyphens)`);
  const folder = join(templatesDir, id);
  const texts = {} as Record<Part, string>;
  for (const [part, { file }] of Object.entries(TEMPLATE_FILES) as [Part, { file: string }][]) {
    try {
      texts[part] = await readFile(join(folder, file), 'utf8');
    } catch (error) {
      throw new TemplateError(`template "${id}" has no ${file} in ${folder} (every template needs ${Object.values(TEMPLATE_FILES).map((f) => f.file).join(', ')})`, { cause: error });
    }
  }
  return compileMessageTemplate(id, texts);
}

/** Compiles the texts of one template (the files' contents, keyed like `TEMPLATE_FILES`). */
export function compileMessageTemplate(id: string, texts: Readonly<Record<Part, string>>): MessageTemplate {
  const parts = {} as Record<Part, CompiledTemplate>;
  for (const [part, { file, escape }] of Object.entries(TEMPLATE_FILES) as [Part, { file: string; escape: TemplateEscape }][]) {
    try {
      parts[part] = compileTemplate(texts[part], escape, `${id}/${file}`);
    } catch (error) {
      throw new TemplateError((error as Error).message, { cause: error });
    }
  }
  const names = [...new Set(Object.values(parts).flatMap((p) => p.names))];
  return {
    id,
    names,
    render(context, options) {
      const slackText = parts.slack.render(context, options);
      return {
        subject: parts.subject.render(context, options).replace(/\s+/g, ' ').trim(),
        text: parts.text.render(context, options),
        html: parts.html.render(context, options),
        slack: parseSlack(id, slackText),
        inApp: parts.inApp.render(context, options).trim(),
      };
    },
  };
}

/** A template store over texts in memory (unit tests). */
export function createInMemoryTemplateStore(templates: Readonly<Record<string, Readonly<Record<Part, string>>>>): TemplateStore {
  return {
    async load(id) {
      const texts = templates[id];
      if (!texts) throw new TemplateError(`template "${id}" does not exist`);
      return compileMessageTemplate(id, texts);
    },
  };
}

export type TemplateTexts = Readonly<Record<Part, string>>;

function parseSlack(id: string, json: string): RenderedMessage['slack'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new TemplateError(`template ${id}/slack.json does not render to valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const body = parsed as { text?: unknown; blocks?: unknown };
  if (typeof body.text !== 'string' || !Array.isArray(body.blocks)) {
    throw new TemplateError(`template ${id}/slack.json must render to { "text": string, "blocks": [...] }`);
  }
  return { text: body.text, blocks: body.blocks };
}
