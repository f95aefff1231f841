// Which models `npm run render:models` draws and where each picture goes: every bpmn/*.bpmn, bpmn/*.dmn and forms/*.form,
// or only the files named on the command line, to docs/images/models/<name>.png.
import { readdirSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';

export type ModelKind = 'bpmn' | 'dmn' | 'form';

export interface ModelFile {
  kind: ModelKind;
  /** Absolute path of the model. */
  path: string;
  /** Absolute path of the PNG it renders to. */
  output: string;
}

export const OUTPUT_FOLDER = 'docs/images/models';

/** A file named on the command line that is no model: the user's mistake, said without a stack trace. */
export class NotAModelError extends Error {
  constructor(path: string) {
    super(`${path} is neither a .bpmn diagram, a .dmn decision nor a .form form; name diagrams and decisions in bpmn/ or forms in forms/`);
    this.name = 'NotAModelError';
  }
}

const KIND_BY_EXTENSION: Record<string, ModelKind> = { '.bpmn': 'bpmn', '.dmn': 'dmn', '.form': 'form' };

function toModelFile(path: string, outputFolder: string): ModelFile {
  const kind = KIND_BY_EXTENSION[extname(path)];
  if (!kind) throw new NotAModelError(path);
  return { kind, path, output: join(outputFolder, `${basename(path)}.png`) };
}

/**
 * The models to render: the named files (relative to the working folder) or, with none named, every diagram and
 * decision in bpmn/ and every form in forms/ under root.
 */
export function modelFiles(root: string, named: readonly string[], outputFolder = join(root, OUTPUT_FOLDER)): ModelFile[] {
  if (named.length > 0) return named.map((file) => toModelFile(resolve(file), outputFolder));
  const inFolder = (folder: string, extension: string): string[] =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith(extension))
      .sort()
      .map((name) => join(root, folder, name));
  return [...inFolder('bpmn', '.bpmn'), ...inFolder('bpmn', '.dmn'), ...inFolder('forms', '.form')].map((path) => toModelFile(path, outputFolder));
}

/** A path as the user reads it in progress lines. */
export function shown(root: string, path: string): string {
  return relative(root, path) || path;
}
